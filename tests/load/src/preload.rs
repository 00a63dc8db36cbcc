//! The load tool's only direct SQL: a million certificates in one statement.
//!
//! One `WITH RECURSIVE … INSERT … SELECT`, valid in SQLite and PostgreSQL alike, with no
//! placeholders (so it does not care whether the driver numbers them `?1` or `$1`): the values
//! are integers and fixed texts the tool formats itself. It runs through `Central::db()` and
//! needs only `execute`, so moving it to `synaq_central::sql` is the import below.
//!
//! The rows cannot collide with what a run produces: numbers `LOAD-1xxxxxxx` (central's are
//! `KZOT-YYYY-XXXX-XXXX`), attempts `load-N`, and in place of an ИИН the text `LOAD-N`, which
//! is not twelve digits (the page and every export print it as `************`). They belong to
//! the branch [`PRELOAD_BRANCH`], which has no kiosk, so no pull ever carries them.

use rusqlite::Connection;

/// The branch the preloaded certificates belong to (no kiosk is enrolled there).
pub const PRELOAD_BRANCH: &str = "LOAD-00";

/// The number of preloaded certificate `i` (`1..=count`).
pub fn number(i: u64) -> String {
    format!("LOAD-{}", 10_000_000 + i)
}

/// The check code printed on preloaded certificate `i`'s paper.
pub fn check_code(i: u64) -> String {
    format!("L{i}")
}

/// Inserts certificates `1..=count` ([`number`], [`check_code`]) of category `category`,
/// issued on `issued` and valid until `valid_until` (`YYYY-MM-DD`), in one statement; returns
/// the rows inserted.
pub fn preload(
    db: &Connection,
    count: u64,
    category: &str,
    issued: &str,
    valid_until: &str,
) -> anyhow::Result<usize> {
    let text = |s: &str| -> anyhow::Result<String> {
        anyhow::ensure!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b' '),
            "{s:?} is not a plain value"
        );
        Ok(format!("'{s}'"))
    };
    let (category, issued, valid_until, branch) = (
        text(category)?,
        text(issued)?,
        text(valid_until)?,
        text(PRELOAD_BRANCH)?,
    );
    let sql = format!(
        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
         INSERT INTO certificates (number, attempt, iin, name, category, category_kk, category_ru,
             issued, valid_until, status, branch, rev, revoked_reason, check_code)
         SELECT 'LOAD-' || (10000000 + i), 'load-' || i, 'LOAD-' || i, 'Load Holder ' || i,
             {category}, 'Жүктеме', 'Нагрузка', {issued}, {valid_until}, 'valid', {branch}, 0,
             NULL, 'L' || i
         FROM n"
    );
    Ok(db.execute(&sql, [])?)
}
