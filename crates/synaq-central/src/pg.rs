//! PostgreSQL behind [`crate::sql`]: a `deadpool-postgres` pool of `tokio-postgres`
//! connections on a runtime of its own (two threads), so every call is synchronous, like
//! SQLite's and the evidence store's: the same code serves the HTTP handlers (inside
//! `spawn_blocking`), the admin commands (no runtime) and tests (inside one).
//!
//! Statements are written with SQLite's `?1` parameters and sent with PostgreSQL's `$1`;
//! each connection caches its prepared statements. A connection that broke (the server
//! restarted) is dropped by the pool, and the next statement gets a fresh one; a statement
//! that fails because the server is unreachable is [`SqlError::Unavailable`], which central
//! answers with "retry later" (503), never as a refusal of the kiosk's data.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, Pool, RecyclingMethod, Timeouts};
use tokio_postgres::types::{IsNull, ToSql, Type};
use tokio_postgres::NoTls;

use crate::sql::{Row, SqlError, Value};

/// The advisory lock every write transaction takes first (`sql` module docs): "SYNAQ".
const WRITER_LOCK: i64 = 0x53_59_4E_41_51;

/// Connections per process.
const POOL_SIZE: usize = 16;

/// The longest a statement may run (or wait for the writers' lock).
const STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);

/// A pooled connection, shared by the statements of one [`crate::sql::Conn`].
pub type PgConn = Arc<Object>;

/// A PostgreSQL database: its pool and the runtime its connections live on.
pub struct Pg {
    pool: Pool,
    identity: String,
    rt: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for Pg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pg")
            .field("identity", &self.identity)
            .finish_non_exhaustive()
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside another runtime (a test, a handler).
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// `postgres://host:port/name` without user or password (what is recorded and shown).
pub fn identity(url: &str) -> String {
    match take_root_cert(url).0.parse::<tokio_postgres::Config>() {
        Ok(c) => {
            let host = c
                .get_hosts()
                .iter()
                .map(|h| match h {
                    tokio_postgres::config::Host::Tcp(s) => s.clone(),
                    tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
                })
                .collect::<Vec<_>>()
                .join(",");
            let port = c
                .get_ports()
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(",");
            format!(
                "postgres://{host}:{port}/{}",
                c.get_dbname().unwrap_or_default()
            )
        }
        Err(_) => "postgres://(unreadable URL)".into(),
    }
}

/// `?1` → `$1`, outside quoted text.
fn dollar_params(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

/// An error with its causes: "error performing TLS handshake: invalid peer certificate: …".
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let more = s.to_string();
        if !text.contains(&more) {
            text = format!("{text}: {more}");
        }
        source = s.source();
    }
    text
}

fn pg_error(e: tokio_postgres::Error) -> SqlError {
    match e.as_db_error() {
        Some(db) => SqlError::Postgres(format!("{} {}", db.code().code(), db.message())),
        None => SqlError::Unavailable(with_causes(&e)),
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ => Err(format!("an integer given for a {ty} parameter").into()),
            },
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

fn value_of(row: &tokio_postgres::Row, i: usize) -> Result<Value, SqlError> {
    let ty = row.columns()[i].type_();
    let bad = |e: tokio_postgres::Error| SqlError::Postgres(format!("column {i}: {e}"));
    Ok(match *ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .map_err(bad)?
            .map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map_err(bad)?
            .map(|v| Value::Int(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map_err(bad)?
            .map(|v| Value::Int(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map_err(bad)?
            .map(|v| Value::Int(v.into())),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .map_err(bad)?
            .map(Value::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
            .try_get::<_, Option<String>>(i)
            .map_err(bad)?
            .map(Value::Text),
        _ => {
            return Err(SqlError::Postgres(format!(
                "column {i} ({}) is of type {ty}: cast it to BIGINT or TEXT",
                row.columns()[i].name()
            )))
        }
    }
    .unwrap_or(Value::Null))
}

/// `url` without its `sslrootcert=FILE` parameter (libpq's name for the CA that signed the
/// server's certificate, which tokio-postgres does not read), and that file.
fn take_root_cert(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), None);
    };
    let (mut kept, mut root) = (Vec::new(), None);
    for pair in query.split('&') {
        match pair.strip_prefix("sslrootcert=") {
            Some(file) => root = Some(file.to_owned()),
            None => kept.push(pair),
        }
    }
    let url = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, root)
}

/// TLS to PostgreSQL, the server's certificate checked against `root` (PEM), or against the
/// system's CAs.
fn tls(root: Option<&str>) -> Result<tokio_postgres_rustls::MakeRustlsConnect, SqlError> {
    let file = root.unwrap_or("/etc/ssl/certs/ca-certificates.crt");
    let bad = |e: String| SqlError::Migration(format!("the PostgreSQL CA {file}: {e}"));
    let text = std::fs::read(file).map_err(|e| bad(e.to_string()))?;
    let mut roots = rustls::RootCertStore::empty();
    for p in pem::parse_many(&text).map_err(|e| bad(e.to_string()))? {
        if p.tag() == "CERTIFICATE" {
            roots
                .add(rustls::pki_types::CertificateDer::from(
                    p.contents().to_vec(),
                ))
                .map_err(|e| bad(e.to_string()))?;
        }
    }
    if roots.is_empty() {
        return Err(bad("no certificate in it".into()));
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| bad(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

impl Pg {
    /// A pool for `url` (nothing is connected until the first statement). `sslmode=require`
    /// (or `prefer`, the default) talks TLS when the server offers it, and then checks the
    /// server's certificate against `sslrootcert=FILE` (or the system's CAs); `disable` never
    /// does.
    pub fn connect(url: &str) -> Result<Pg, SqlError> {
        let (url, root) = take_root_cert(url);
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| SqlError::Migration(format!("the PostgreSQL URL: {e}")))?;
        let mut config = config;
        config.connect_timeout(Duration::from_secs(5));
        config.application_name("synaq-central");
        // A stuck server or lock answers "retry later" within a minute instead of holding a
        // kiosk's request (and a pooled connection) forever; a backup lifts it for itself.
        config.options(format!(
            "-c statement_timeout={}",
            STATEMENT_TIMEOUT.as_millis()
        ));
        let recycling = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match config.get_ssl_mode() {
            tokio_postgres::config::SslMode::Disable => {
                Manager::from_config(config, NoTls, recycling)
            }
            // Prefer, Require, and any mode a later driver adds.
            _ => Manager::from_config(config, tls(root.as_deref())?, recycling),
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("synaq-pg")
            .enable_all()
            .build()
            .map_err(|e| SqlError::Unavailable(format!("cannot start its runtime: {e}")))?;
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .timeouts(Timeouts {
                wait: Some(Duration::from_secs(10)),
                create: Some(Duration::from_secs(5)),
                recycle: Some(Duration::from_secs(5)),
            })
            .build()
            .map_err(|e| SqlError::Migration(format!("the PostgreSQL pool: {e}")))?;
        Ok(Pg {
            pool,
            identity: identity(&url),
            rt: Some(rt),
        })
    }

    /// `postgres://host:port/name`.
    pub fn identity(&self) -> &str {
        &self.identity
    }

    fn run<T: Send + 'static>(
        &self,
        f: impl Future<Output = Result<T, SqlError>> + Send + 'static,
    ) -> Result<T, SqlError> {
        let rt = self
            .rt
            .as_ref()
            .expect("the runtime lives as long as the pool");
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        rt.spawn(async move {
            let _ = tx.send(f.await);
        });
        // The server's own timeout answers first; this only guards against a lost answer.
        rx.recv_timeout(STATEMENT_TIMEOUT + Duration::from_secs(30))
            .unwrap_or_else(|e| {
                Err(SqlError::Unavailable(format!(
                    "no answer from PostgreSQL: {e}"
                )))
            })
    }

    /// A connection from the pool.
    pub(crate) fn get(&self) -> Result<PgConn, SqlError> {
        let pool = self.pool.clone();
        self.run(async move {
            pool.get()
                .await
                .map(Arc::new)
                .map_err(|e| SqlError::Unavailable(with_causes(&e)))
        })
    }

    /// Every row of `sql`.
    pub(crate) fn query(
        &self,
        conn: &PgConn,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<Row>, SqlError> {
        let (conn, sql) = (Arc::clone(conn), dollar_params(sql));
        self.run(async move {
            let stmt = conn.prepare_cached(&sql).await.map_err(pg_error)?;
            let p: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            let rows = conn.query(&stmt, &p).await.map_err(pg_error)?;
            rows.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| value_of(r, i))
                        .collect::<Result<_, _>>()
                        .map(Row)
                })
                .collect()
        })
    }

    /// Runs `sql`; the rows changed.
    pub(crate) fn execute(
        &self,
        conn: &PgConn,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<usize, SqlError> {
        let (conn, sql) = (Arc::clone(conn), dollar_params(sql));
        self.run(async move {
            let stmt = conn.prepare_cached(&sql).await.map_err(pg_error)?;
            let p: Vec<&(dyn ToSql + Sync)> =
                params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
            let n = conn.execute(&stmt, &p).await.map_err(pg_error)?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    /// Statements without parameters.
    pub(crate) fn batch(&self, conn: &PgConn, sql: &str) -> Result<(), SqlError> {
        let (conn, sql) = (Arc::clone(conn), sql.to_owned());
        self.run(async move { conn.batch_execute(&sql).await.map_err(pg_error) })
    }

    /// `BEGIN` and the writers' lock.
    pub(crate) fn begin(&self, conn: &PgConn) -> Result<(), SqlError> {
        self.batch(
            conn,
            &format!("BEGIN; SELECT pg_advisory_xact_lock({WRITER_LOCK})"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered_outside_quotes_only() {
        assert_eq!(
            dollar_params("SELECT '?1', x FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1', x FROM t WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn the_root_certificate_is_taken_out_of_the_url() {
        assert_eq!(
            take_root_cert("postgres://a@h/db?sslmode=require&sslrootcert=/etc/ca.pem"),
            (
                "postgres://a@h/db?sslmode=require".into(),
                Some("/etc/ca.pem".into())
            )
        );
        assert_eq!(
            take_root_cert("postgres://a@h/db?sslrootcert=ca.pem"),
            ("postgres://a@h/db".into(), Some("ca.pem".into()))
        );
        assert_eq!(
            take_root_cert("postgres://a@h/db"),
            ("postgres://a@h/db".into(), None)
        );
    }

    #[test]
    fn the_identity_never_shows_the_password() {
        let id = identity("postgres://synaq:s3cret@db.eumc.kz:5433/central");
        assert_eq!(id, "postgres://db.eumc.kz:5433/central");
    }
}
