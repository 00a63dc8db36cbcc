//! The load tool's only direct SQL: a million certificates in one statement.
//!
//! One `WITH RECURSIVE … INSERT … SELECT`, valid in SQLite and PostgreSQL alike, with no
//! placeholders (so it does not care whether the driver numbers them `?1` or `$1`): the values
//! are integers and fixed texts the tool formats itself. It runs through `Central::db()` and
//! needs only `execute`.
//!
//! The rows cannot collide with what a run produces: numbers `LOAD-1xxxxxxx` (central's are
//! `KZOT-YYYY-XXXX-XXXX`), attempts `load-N`, and in place of an ИИН the text `LOAD-N`, which
//! is not twelve digits (the page and every export print it as `************`). They belong to
//! the branch [`PRELOAD_BRANCH`], which has no kiosk, so no pull ever carries them.

use synaq_central::sql::Conn;

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
    db: &Conn<'_>,
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
    Ok(db.execute(&sql, ())?)
}

/// Bytes of central's PostgreSQL database.
pub fn postgres_bytes(db: &Conn<'_>) -> anyhow::Result<u64> {
    let n: i64 = db.query_row(
        "SELECT CAST(pg_database_size(current_database()) AS BIGINT)",
        (),
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n)?)
}

/// The portal benchmark's data: `learners` registrations of training organisation `bin` (half
/// of them with a decided result, every fourth of those a fail), `oos` other organisations on
/// the list with three years of statistics each, and `results` more decided results spread
/// over the last year on `kiosks` kiosks (for the analyst's charts and watch list). Every
/// value is formatted here: integers and fixed texts only.
#[allow(clippy::too_many_arguments)]
pub fn preload_portal(
    db: &Conn<'_>,
    bin: &str,
    learners: u64,
    oos: u64,
    results: u64,
    kiosks: u64,
    category: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    let plain = |s: &str| -> anyhow::Result<String> {
        anyhow::ensure!(
            s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
            "{s:?} is not a plain value"
        );
        Ok(format!("'{s}'"))
    };
    let (bin, category, branch) = (plain(bin)?, plain(category)?, plain(PRELOAD_BRANCH)?);
    let year_ms: i64 = 365 * 86_400_000;
    // The ОО's learners: registered for the year, confirmed.
    db.execute(
        &format!(
            "WITH RECURSIVE n (i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {learners})
             INSERT INTO roster (branch, iin, name, category, oo_bin, oo_name, attempt,
                 allowed_from, allowed_to, rev, payment, registered_by, confirmed)
             SELECT {branch}, 'P' || (100000000000 + i), 'Learner ' || i, {category}, {bin},
                 'Load ОО', 1, '2026-01-01', '2026-12-31', 0, 'P-' || i, 'oo', 1
             FROM n"
        ),
        (),
    )?;
    // Half of them sat: every fourth of those failed.
    db.execute(
        &format!(
            "WITH RECURSIVE n (i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {half})
             INSERT INTO results (attempt, kiosk, digest, iin, category, roster_attempt, oo_bin,
                 passed, started, finished, received, result, receipt, state, reasons, branch,
                 name, chain_seq, journal)
             SELECT 'pl-' || i, 'load-kiosk-' || (i % {kiosks}), 'd', 'P' || (100000000000 + i),
                 {category}, 1, {bin}, CASE WHEN i % 4 = 0 THEN 0 ELSE 1 END,
                 {now_ms} - (i % 300) * 86400000 - 3600000, {now_ms} - (i % 300) * 86400000,
                 {now_ms}, '{{}}', '{{}}',
                 CASE WHEN i % 4 = 0 THEN 'failed' ELSE 'certified' END, '[]', {branch},
                 'Learner ' || i, NULL, NULL
             FROM n",
            half = learners / 2
        ),
        (),
    )?;
    // Other results over the year, on every kiosk.
    db.execute(
        &format!(
            "WITH RECURSIVE n (i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {results})
             INSERT INTO results (attempt, kiosk, digest, iin, category, roster_attempt, oo_bin,
                 passed, started, finished, received, result, receipt, state, reasons, branch,
                 name, chain_seq, journal)
             SELECT 'pr-' || i, 'load-kiosk-' || (i % {kiosks}), 'd', 'R' || i, {category}, 1,
                 'OO-' || (i % {oos}), CASE WHEN i % 5 = 0 THEN 0 ELSE 1 END,
                 {now_ms} - (i * 7919 % {year_ms}) - 2400000, {now_ms} - (i * 7919 % {year_ms}),
                 {now_ms}, '{{}}', '{{}}',
                 CASE WHEN i % 5 = 0 THEN 'failed' ELSE 'certified' END, '[]', {branch},
                 'Holder ' || i, NULL, NULL
             FROM n"
        ),
        (),
    )?;
    // The other organisations and their yearly statistics.
    db.execute(
        &format!(
            "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {oos} - 1)
             INSERT INTO oos (bin, name, status, reason, changed)
             SELECT 'OO-' || i, 'Organisation ' || i, 'active', '', 0 FROM n"
        ),
        (),
    )?;
    for year in [2024, 2025, 2026] {
        db.execute(
            &format!(
                "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {oos} - 1)
                 INSERT INTO oo_stats (oo_bin, year, passed, failed)
                 SELECT 'OO-' || i, {year}, 10 + i % 90, i % 120 FROM n"
            ),
            (),
        )?;
    }
    Ok(())
}
