//! A real PostgreSQL for the tests: Debian's PostgreSQL 15 in a temporary cluster.
//!
//! [`Postgres::start`] runs `initdb` into a temporary directory and starts `postgres` on a free
//! loopback port as a child process (no service, no system cluster touched). initdb refuses
//! root, so under root the cluster belongs to `nobody` and the server runs as that user.
//! Dropping it kills the server and removes the directory, also when the test failed.
//! [`Postgres::kill`] and [`Postgres::restart`] are the fault tests' "database down" and
//! "database back" (same port, same data).

use std::os::unix::fs::MetadataExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The user tests connect as (the cluster's superuser; loopback `trust` authentication).
pub const USER: &str = "synaq";

/// Where Debian's PostgreSQL 15 keeps its server programs (`SYNAQ_PG_BIN` for another).
pub fn bin_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("SYNAQ_PG_BIN") {
        return PathBuf::from(p);
    }
    let dir = PathBuf::from("/usr/lib/postgresql/15/bin");
    assert!(
        dir.join("postgres").is_file(),
        "PostgreSQL 15 is missing ({}): run `cargo xtask setup` (it installs Debian's postgresql), or set SYNAQ_PG_BIN",
        dir.display()
    );
    dir
}

/// A temporary PostgreSQL cluster serving on 127.0.0.1.
#[derive(Debug)]
pub struct Postgres {
    dir: tempfile::TempDir,
    port: u16,
    /// `Some((uid, gid))` when the server runs as another user than the test (root).
    user: Option<(u32, u32)>,
    server: Option<Child>,
    /// The shared cluster's server runs under a shell that stops it and removes its
    /// directory when this pipe closes, that is when the test process ends.
    watched: bool,
    /// Serves TLS with a certificate from its own CA (`ca.pem` in its directory).
    tls: bool,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

impl Postgres {
    /// One cluster for the whole test process, started on first use; it stops (and its
    /// directory goes) when the process ends.
    pub fn shared() -> &'static Postgres {
        static SHARED: std::sync::OnceLock<Postgres> = std::sync::OnceLock::new();
        SHARED.get_or_init(|| Postgres::init(true, false))
    }

    /// A fresh database in the shared cluster; returns its URL.
    pub fn fresh_database() -> String {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Postgres::shared().create_database(&format!("central_{}_{n}", std::process::id()))
    }

    /// initdb and start; waits until it accepts connections.
    pub fn start() -> Postgres {
        Postgres::init(false, false)
    }

    /// [`Postgres::start`] serving TLS too, with a certificate for 127.0.0.1 signed by a CA of
    /// its own ([`Postgres::ca_file`]).
    pub fn start_with_tls() -> Postgres {
        Postgres::init(false, true)
    }

    /// The CA that signed the server's certificate (PEM).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// Another CA, which signed nothing of this server (PEM).
    pub fn other_ca_file(&self) -> PathBuf {
        self.dir.path().join("other-ca.pem")
    }

    fn write_tls_files(&self) {
        fn ca(name: &str) -> (rcgen::Certificate, rcgen::KeyPair) {
            let key = rcgen::KeyPair::generate().expect("CA key");
            let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, name);
            (params.self_signed(&key).expect("CA"), key)
        }
        let (ca_cert, ca_key) = ca("Synaq test PostgreSQL CA");
        let (other, _) = ca("Another CA");
        let key = rcgen::KeyPair::generate().expect("server key");
        let cert = rcgen::CertificateParams::new(vec!["127.0.0.1".into(), "localhost".into()])
            .expect("params")
            .signed_by(&key, &ca_cert, &ca_key)
            .expect("server certificate");
        let d = self.dir.path();
        for (name, text) in [
            ("ca.pem", ca_cert.pem()),
            ("other-ca.pem", other.pem()),
            ("server.crt", cert.pem()),
            ("server.key", key.serialize_pem()),
        ] {
            let path = d.join(name);
            std::fs::write(&path, text).expect("write TLS file");
            // PostgreSQL refuses a key others can read.
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
                .expect("chmod");
            if let Some((uid, gid)) = self.user {
                std::os::unix::fs::chown(&path, Some(uid), Some(gid)).expect("chown");
            }
        }
    }

    fn init(watched: bool, tls: bool) -> Postgres {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = std::fs::metadata("/proc/self").expect("/proc/self").uid() == 0;
        // nobody:nogroup on Debian.
        let user = root.then_some((65_534, 65_534));
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let mut pg = Postgres {
            dir,
            port: free_port(),
            user,
            server: None,
            watched,
            tls,
        };
        if tls {
            pg.write_tls_files();
        }
        let status = pg
            .command("initdb")
            .args(["--auth=trust", "--username", USER, "--encoding=UTF8"])
            .args(["--locale=C.UTF-8", "--no-instructions", "-D"])
            .arg(pg.data())
            .stdout(Stdio::null())
            .status()
            .expect("run initdb");
        assert!(status.success(), "initdb failed: {status}");
        pg.restart();
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// One of PostgreSQL's programs (or `sh`), as the cluster's user.
    fn command(&self, program: &str) -> Command {
        let path = if program == "sh" {
            PathBuf::from("/bin/sh")
        } else {
            bin_dir().join(program)
        };
        let mut c = Command::new(path);
        c.current_dir(self.dir.path());
        if let Some((uid, gid)) = self.user {
            c.uid(uid).gid(gid).env("HOME", self.dir.path());
        }
        c
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `postgres://synaq@127.0.0.1:PORT/NAME`.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database; returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""));
        self.url(name)
    }

    /// Runs `sql` in database `name` with psql; returns what it printed (unaligned, no
    /// headers).
    pub fn psql(&self, name: &str, sql: &str) -> String {
        let out = Command::new("psql")
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url(name))
            .args(["-c", sql])
            .output()
            .expect("run psql");
        assert!(
            out.status.success(),
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Kills the server (SIGKILL: no shutdown, as a crash or a pulled cable).
    pub fn kill(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill();
            let _ = s.wait();
        }
    }

    /// Starts the server again (crash recovery from its WAL) on the same port.
    pub fn restart(&mut self) {
        self.kill();
        let deadline = Instant::now() + Duration::from_secs(60);
        self.server = Some(self.spawn_server());
        loop {
            let ready = Command::new(bin_dir().join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "PostgreSQL did not start in 60 s: {}",
                self.log()
            );
            // After a kill, the old server's backends hold its shared memory for a moment:
            // the new one refuses to start until they are gone. Start it again.
            let exited = self
                .server
                .as_mut()
                .is_some_and(|s| s.try_wait().is_ok_and(|e| e.is_some()));
            if exited {
                self.server = Some(self.spawn_server());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn spawn_server(&self) -> Child {
        if self.watched {
            // `sh -c 'postgres … & read; stop; rm'`: stdin is a pipe only this process holds.
            let mut c = self.command("sh");
            c.arg("-c")
                .arg(r#"dir=$1; shift; "$@" & p=$!; read _ignored; kill -INT $p; wait $p; rm -rf "$dir""#)
                .arg("sh")
                .arg(self.dir.path())
                .arg(bin_dir().join("postgres"))
                .args(self.server_args())
                .stdin(Stdio::piped());
            return self.with_log(c).spawn().expect("start postgres");
        }
        let mut c = self.command("postgres");
        c.args(self.server_args());
        self.with_log(c).spawn().expect("start postgres")
    }

    fn server_args(&self) -> Vec<String> {
        let mut args = vec![
            "-D".into(),
            self.data().display().to_string(),
            "-p".into(),
            self.port.to_string(),
            "-c".into(),
            "listen_addresses=127.0.0.1".into(),
            "-c".into(),
            format!("unix_socket_directories={}", self.dir.path().display()),
            "-c".into(),
            "max_connections=300".into(),
        ];
        if self.tls {
            let d = self.dir.path().display();
            args.extend([
                "-c".into(),
                "ssl=on".into(),
                "-c".into(),
                format!("ssl_cert_file={d}/server.crt"),
                "-c".into(),
                format!("ssl_key_file={d}/server.key"),
            ]);
        }
        args
    }

    fn with_log(&self, mut c: Command) -> Command {
        let log_path = self.dir.path().join("server.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .expect("log file");
        if let Some((uid, gid)) = self.user {
            std::os::unix::fs::chown(&log_path, Some(uid), Some(gid)).expect("chown");
        }
        c.stdout(Stdio::null()).stderr(log);
        c
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            let _ = s.kill();
            let _ = s.wait();
        }
    }
}
