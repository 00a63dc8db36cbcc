//! Central's SQL: one small interface over its two databases.
//!
//! - **SQLite** (the embedded default): one connection in the data directory, serialized by a
//!   mutex, WAL, `synchronous=FULL`.
//! - **PostgreSQL** (`--database postgres://…`, for several central processes): a pool of
//!   connections ([`crate::pg`]).
//!
//! The interface follows rusqlite's shape (`execute`, `query_row`, `prepare(…).query_map`,
//! `transaction`), so central's queries read the same on both. Queries are written once, with
//! `?1`-style parameters, in the SQL both databases speak (`ON CONFLICT`, `RETURNING`,
//! `coalesce`, `CAST(… AS BIGINT)`); integers are 64-bit on both sides (`BIGINT` in
//! PostgreSQL), flags are 0/1 integers.
//!
//! A [`Tx`] is a write transaction with the same meaning on both: one writer at a time.
//! SQLite's `BEGIN IMMEDIATE` takes its write lock; in PostgreSQL every transaction first takes
//! one advisory lock, so transactions of all central processes run one after another and
//! read what the previous one committed. What a transaction checks (a result already stored,
//! the next certificate number, a kiosk's chain) therefore holds until it commits, on one
//! process or many.

use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard};

use crate::pg::{Pg, PgConn};

/// One SQL value: what both databases store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// NULL.
    Null,
    /// A 64-bit integer (also flags, 0 or 1).
    Int(i64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SqlError {
    /// `query_row` found no row (see [`OptionalExtension::optional`]).
    #[error("no row")]
    NoRows,
    /// A column held another type than asked for.
    #[error("column {index}: expected {expected}, found {found:?}")]
    Type {
        /// The column.
        index: usize,
        /// What the code asked for.
        expected: &'static str,
        /// What the row held.
        found: Value,
    },
    /// SQLite failed.
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused a statement.
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    /// PostgreSQL could not be reached (down, restarting, no free connection).
    #[error("PostgreSQL is unreachable: {0}")]
    Unavailable(String),
    /// A migration could not be applied.
    #[error("migrating the database: {0}")]
    Migration(String),
}

/// The result of a query.
pub type Result<T> = std::result::Result<T, SqlError>;

/// `query_row`'s "no row" as `None`.
pub trait OptionalExtension<T> {
    /// `Ok(None)` for [`SqlError::NoRows`].
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(SqlError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Something that can be a parameter.
pub trait ToValue {
    /// As a value.
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                // Every integer central stores fits (times in ms, counters, sizes).
                Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )*};
}
int_value!(i64, i32, u32, u64, usize, u8, u16);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

/// A statement's parameters: `params![a, b]`, an array of one type, or `()` for none.
pub trait Params {
    /// As values, `?1` first.
    fn values(self) -> Vec<Value>;
}

impl Params for () {
    fn values(self) -> Vec<Value> {
        Vec::new()
    }
}

impl<T: ToValue, const N: usize> Params for [T; N] {
    fn values(self) -> Vec<Value> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl Params for Vec<Value> {
    fn values(self) -> Vec<Value> {
        self
    }
}

/// Parameters of mixed types, `?1` first: `params![kiosk, seq, bytes]`.
#[macro_export]
macro_rules! params {
    ($($x:expr),* $(,)?) => {
        [$($crate::sql::ToValue::to_value(&$x)),*]
    };
}
pub use crate::params;

/// A column value read back.
pub trait FromValue: Sized {
    /// From the column `index`'s value.
    fn from_value(index: usize, v: Value) -> Result<Self>;
}

fn wrong<T>(index: usize, expected: &'static str, found: Value) -> Result<T> {
    Err(SqlError::Type {
        index,
        expected,
        found,
    })
}

impl FromValue for Value {
    fn from_value(_: usize, v: Value) -> Result<Self> {
        Ok(v)
    }
}

impl FromValue for i64 {
    fn from_value(index: usize, v: Value) -> Result<Self> {
        match v {
            Value::Int(i) => Ok(i),
            other => wrong(index, "an integer", other),
        }
    }
}

macro_rules! int_from {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(index: usize, v: Value) -> Result<Self> {
                match v {
                    Value::Int(i) => <$t>::try_from(i)
                        .or_else(|_| wrong(index, stringify!($t), Value::Int(i))),
                    other => wrong(index, stringify!($t), other),
                }
            }
        }
    )*};
}
int_from!(i32, u32, u64, usize, u8, u16);

impl FromValue for bool {
    fn from_value(index: usize, v: Value) -> Result<Self> {
        match v {
            Value::Int(i) => Ok(i != 0),
            other => wrong(index, "a flag", other),
        }
    }
}

impl FromValue for String {
    fn from_value(index: usize, v: Value) -> Result<Self> {
        match v {
            Value::Text(s) => Ok(s),
            other => wrong(index, "text", other),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(index: usize, v: Value) -> Result<Self> {
        match v {
            Value::Blob(b) => Ok(b),
            other => wrong(index, "bytes", other),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(index: usize, v: Value) -> Result<Self> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(index, v).map(Some),
        }
    }
}

/// A column index (rusqlite's `r.get::<_, T>(i)` shape).
pub trait RowIndex {
    /// The index.
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// One row of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub(crate) Vec<Value>);

impl Row {
    /// Column `i` as `T`.
    pub fn get<I: RowIndex, T: FromValue>(&self, i: I) -> Result<T> {
        let i = i.index();
        let v = self.0.get(i).cloned().ok_or(SqlError::Type {
            index: i,
            expected: "a column",
            found: Value::Null,
        })?;
        T::from_value(i, v)
    }
}

/// Which database central keeps its records in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// `central.sqlite3` in the data directory (the default).
    Sqlite,
    /// A PostgreSQL database, `postgres://user[:password]@host[:port]/name`.
    Postgres(String),
}

impl Database {
    /// From `--database`: `sqlite` (or nothing) or a `postgres://`/`postgresql://` URL.
    pub fn parse(s: &str) -> std::result::Result<Database, String> {
        let s = s.trim();
        if s.is_empty() || s == "sqlite" {
            Ok(Database::Sqlite)
        } else if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Ok(Database::Postgres(s.to_owned()))
        } else {
            Err(format!(
                "--database {s:?}: give `sqlite` (the default) or postgres://USER@HOST[:PORT]/NAME"
            ))
        }
    }

    /// What is recorded and shown: the kind, host, port and database name, never a password.
    pub fn identity(&self) -> String {
        match self {
            Database::Sqlite => "sqlite".into(),
            Database::Postgres(url) => crate::pg::identity(url),
        }
    }
}

/// A database: SQLite or a PostgreSQL pool.
pub enum Db {
    /// One SQLite connection.
    Sqlite(Mutex<rusqlite::Connection>),
    /// A PostgreSQL pool.
    Postgres(Pg),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Db::Sqlite(_) => f.write_str("Db::Sqlite"),
            Db::Postgres(p) => write!(f, "Db::Postgres({})", p.identity()),
        }
    }
}

impl Db {
    /// A connection: SQLite's (locked until dropped) or a PostgreSQL one taken from the pool
    /// at its first statement.
    pub fn conn(&self) -> Conn<'_> {
        Conn {
            inner: match self {
                Db::Sqlite(c) => Inner::Sqlite(c.lock().unwrap_or_else(|p| p.into_inner())),
                Db::Postgres(pg) => Inner::Postgres {
                    pg,
                    conn: RefCell::new(None),
                },
            },
        }
    }

    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }
}

enum Inner<'a> {
    Sqlite(MutexGuard<'a, rusqlite::Connection>),
    Postgres {
        pg: &'a Pg,
        conn: RefCell<Option<PgConn>>,
    },
}

/// A connection to central's database (see [`Db::conn`]).
pub struct Conn<'a> {
    inner: Inner<'a>,
}

impl std::fmt::Debug for Conn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.inner {
            Inner::Sqlite(_) => "Conn::Sqlite",
            Inner::Postgres { .. } => "Conn::Postgres",
        })
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        // Central stores no floating point; a REAL would be a schema error shown as text.
        ValueRef::Real(r) => Value::Text(r.to_string()),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn sqlite_params(values: &[Value]) -> Vec<rusqlite::types::Value> {
    values
        .iter()
        .map(|v| match v {
            Value::Null => rusqlite::types::Value::Null,
            Value::Int(i) => rusqlite::types::Value::Integer(*i),
            Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
            Value::Blob(b) => rusqlite::types::Value::Blob(b.clone()),
        })
        .collect()
}

impl Conn<'_> {
    /// Whether this is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self.inner, Inner::Postgres { .. })
    }

    fn pg(&self) -> Result<PgConn> {
        let Inner::Postgres { pg, conn } = &self.inner else {
            unreachable!("PostgreSQL only");
        };
        if let Some(c) = conn.borrow().as_ref() {
            return Ok(c.clone());
        }
        let c = pg.get()?;
        *conn.borrow_mut() = Some(c.clone());
        Ok(c)
    }

    /// Every row of `sql`.
    fn rows(&self, sql: &str, params: Vec<Value>) -> Result<Vec<Row>> {
        match &self.inner {
            Inner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.column_count();
                let p = sqlite_params(&params);
                let mut rows = stmt.query(rusqlite::params_from_iter(p.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut row = Vec::with_capacity(n);
                    for i in 0..n {
                        row.push(sqlite_value(r.get_ref(i)?));
                    }
                    out.push(Row(row));
                }
                Ok(out)
            }
            Inner::Postgres { pg, .. } => pg.query(&self.pg()?, sql, params),
        }
    }

    /// Runs `sql`; returns the number of rows changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        match &self.inner {
            Inner::Sqlite(c) => {
                let p = sqlite_params(&params.values());
                Ok(c.prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(p.iter()))?)
            }
            Inner::Postgres { pg, .. } => pg.execute(&self.pg()?, sql, params.values()),
        }
    }

    /// Runs statements without parameters, `;`-separated.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres { pg, .. } => pg.batch(&self.pg()?, sql),
        }
    }

    /// The first row of `sql` through `f` ([`SqlError::NoRows`] when there is none).
    pub fn query_row<T, P: Params, F: FnOnce(&Row) -> Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> Result<T> {
        let rows = self.rows(sql, params.values())?;
        rows.first().map_or(Err(SqlError::NoRows), f)
    }

    /// A statement to run (rusqlite's `prepare` shape; statements are cached by both).
    pub fn prepare<'c>(&'c self, sql: &str) -> Result<Stmt<'c>> {
        Ok(Stmt {
            conn: self,
            sql: sql.to_owned(),
        })
    }

    /// The same as [`Conn::prepare`].
    pub fn prepare_cached<'c>(&'c self, sql: &str) -> Result<Stmt<'c>> {
        self.prepare(sql)
    }

    /// Begins a write transaction (module docs): committed by [`Tx::commit`], rolled back
    /// when dropped without it.
    pub fn transaction(&mut self) -> Result<Tx<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => c.execute_batch("BEGIN IMMEDIATE")?,
            Inner::Postgres { pg, .. } => pg.begin(&self.pg()?)?,
        }
        Ok(Tx {
            conn: self,
            done: false,
        })
    }
}

impl Conn<'_> {
    /// Begins a read-only transaction that sees one moment of the database (a backup):
    /// writers go on meanwhile.
    pub fn snapshot(&mut self) -> Result<Tx<'_>> {
        match &self.inner {
            Inner::Sqlite(c) => c.execute_batch("BEGIN")?,
            Inner::Postgres { pg, .. } => pg.batch(
                &self.pg()?,
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL statement_timeout = 0",
            )?,
        }
        Ok(Tx {
            conn: self,
            done: false,
        })
    }
}

/// A prepared statement (see [`Conn::prepare`]).
#[derive(Debug)]
pub struct Stmt<'c> {
    conn: &'c Conn<'c>,
    sql: String,
}

impl Stmt<'_> {
    /// Runs it; the number of rows changed.
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        self.conn.execute(&self.sql, params)
    }

    /// Its first row through `f`.
    pub fn query_row<T, P: Params, F: FnOnce(&Row) -> Result<T>>(
        &mut self,
        params: P,
        f: F,
    ) -> Result<T> {
        self.conn.query_row(&self.sql, params, f)
    }

    /// Every row through `f`.
    pub fn query_map<T, P: Params, F: FnMut(&Row) -> Result<T>>(
        &mut self,
        params: P,
        mut f: F,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows = self.conn.rows(&self.sql, params.values())?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }
}

/// A write transaction (see [`Conn::transaction`]); it reads and writes as a [`Conn`].
pub struct Tx<'c> {
    conn: &'c Conn<'c>,
    done: bool,
}

impl std::fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx").field("done", &self.done).finish()
    }
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = Conn<'c>;
    fn deref(&self) -> &Conn<'c> {
        self.conn
    }
}

impl Tx<'_> {
    /// Commits: when this returns, the change is durable. When the commit fails (disk full,
    /// the server gone), the transaction is rolled back: nothing of it stays, and the
    /// connection can begin the next one.
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        let done = self.conn.execute_batch("COMMIT");
        if done.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        done
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Nothing to do when it fails: the connection is gone, and its transaction with it.
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
