//! Central as child processes: the real `synaq-central serve`, several on one data directory.
//!
//! Every process gets the same command line apart from its port (`--data`, `--base-url`,
//! `--evidence`, and `--database` when given), so they share the keys and the TLS identity
//! in the data directory and a kiosk's pin holds for all of them. The S3 settings travel in
//! the environment (`SYNAQ_S3_*`), which the children inherit. Loopback only.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

/// How to start one central process; the load tool fills in the port.
#[derive(Debug, Clone)]
pub struct CentralCommand {
    /// The `synaq-central` binary.
    pub bin: PathBuf,
    /// Its data directory (keys, TLS identity, SQLite database, local evidence).
    pub data: PathBuf,
    /// `--database URL`, when not the data directory's SQLite file.
    pub database: Option<String>,
    /// `--evidence local|s3://BUCKET[/PREFIX]`.
    pub evidence: String,
}

impl CentralCommand {
    /// The command line of a process serving on `addr`, its log going to `log`.
    fn command(&self, addr: SocketAddr, log: &Path) -> anyhow::Result<Command> {
        let mut c = Command::new(&self.bin);
        c.arg("--data")
            .arg(&self.data)
            .args(["--base-url", &format!("https://{addr}")])
            .args(["--evidence", &self.evidence]);
        if let Some(db) = &self.database {
            c.args(["--database", db]);
        }
        c.args(["serve", "--listen", &addr.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(log).with_context(|| log.display().to_string())?);
        Ok(c)
    }
}

/// A running central process; killed when dropped.
#[derive(Debug)]
pub struct CentralProcess {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its request log (one JSON line per request).
    pub log: PathBuf,
}

impl CentralProcess {
    /// Starts `cmd` on a free loopback port and waits (at most 60 s) for its
    /// `listening on URL fingerprint PIN` line; the pin must be `pin`.
    pub fn start(
        cmd: &CentralCommand,
        log: PathBuf,
        pin: synaq_sync::CentralPin,
    ) -> anyhow::Result<CentralProcess> {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let mut child = cmd
            .command(addr, &log)?
            .spawn()
            .with_context(|| format!("cannot start {}", cmd.bin.display()))?;
        let stdout = child.stdout.take().context("central's stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.starts_with("listening on ") {
                    let _ = tx.send(line);
                }
            }
        });
        let mut process = CentralProcess { child, addr, log };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
                let want = format!("listening on https://{addr} fingerprint {pin}");
                if line != want {
                    bail!("central said {line:?}, expected {want:?}: not the same TLS identity");
                }
                return Ok(process);
            }
            if let Some(status) = process.child.try_wait()? {
                bail!(
                    "central exited ({status}) before listening: see {}",
                    process.log.display()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "central did not listen within 60 s: see {}",
                    process.log.display()
                );
            }
        }
    }

    /// CPU seconds the process used so far ([`cpu_seconds`]).
    pub fn cpu_seconds(&self) -> Option<f64> {
        cpu_seconds(self.child.id())
    }

    /// `https://ADDR`.
    pub fn base(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Kills the process and waits for it.
    pub fn stop(mut self) -> anyhow::Result<()> {
        self.kill()
    }

    fn kill(&mut self) -> anyhow::Result<()> {
        if self.child.try_wait()?.is_none() {
            self.child.kill()?;
            self.child.wait()?;
        }
        Ok(())
    }
}

/// What central processes answered, from their request logs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    /// Requests answered.
    pub requests: u64,
    /// Of those, answered 5xx (a kiosk retries them).
    pub server_errors: u64,
    /// Per route (`/v/` for every page): requests and the milliseconds central took in all.
    pub routes: BTreeMap<String, (u64, u64)>,
}

impl Answers {
    /// Adds the request lines of `log` (one JSON object per request, with `path`, `status`
    /// and `ms`).
    pub fn add(&mut self, log: &Path) -> anyhow::Result<()> {
        let text = std::fs::read_to_string(log).with_context(|| log.display().to_string())?;
        for line in text.lines().filter(|l| l.starts_with('{')) {
            let v: serde_json::Value = serde_json::from_str(line)?;
            let Some(status) = v.get("status").and_then(serde_json::Value::as_u64) else {
                continue;
            };
            self.requests += 1;
            if status >= 500 {
                self.server_errors += 1;
            }
            let path = v.get("path").and_then(|p| p.as_str()).unwrap_or("");
            let route = if path.starts_with("/v/") { "/v/" } else { path };
            let r = self.routes.entry(route.to_owned()).or_default();
            r.0 += 1;
            r.1 += v.get("ms").and_then(serde_json::Value::as_u64).unwrap_or(0);
        }
        Ok(())
    }
}

/// CPU seconds (user + system) process `pid` used so far, from `/proc` (Linux; `None`
/// elsewhere). Clock ticks are taken as 100 a second, the Linux default.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command (which may hold spaces) in parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks = f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

impl Drop for CentralProcess {
    fn drop(&mut self) {
        let _ = self.kill();
    }
}
