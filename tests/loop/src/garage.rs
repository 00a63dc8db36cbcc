//! A real S3 server for the evidence tests: a three-node Garage cluster on loopback.
//!
//! [`Garage::start`] writes three node configurations into a temporary directory (its own
//! `rpc_secret`, ports taken from free sockets, `replication_factor = 3`), starts the nodes,
//! connects them, applies a layout with one zone per node, and creates an access key and a
//! bucket with the `garage` command line. Dropping it kills every node it started, also when
//! the test failed (the drop runs while a panic unwinds). The binary is the one
//! `cargo xtask setup` builds once and caches (`~/.cache/synaq/bin/garage-<version>`), or
//! `SYNAQ_GARAGE`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use synaq_central::store::{EvidenceStore, S3Config};

/// The Garage release the tests run (`cargo xtask setup` installs the same).
pub const GARAGE_VERSION: &str = "2.5.0";
/// The S3 region the cluster answers for.
pub const REGION: &str = "garage";

/// Where `cargo xtask setup` caches the Garage binary.
pub fn cached_binary() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(
        cache
            .join("synaq/bin")
            .join(format!("garage-{GARAGE_VERSION}")),
    )
}

/// The Garage binary: `SYNAQ_GARAGE`, else the cached one.
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("SYNAQ_GARAGE") {
        return PathBuf::from(p);
    }
    match cached_binary() {
        Some(p) if p.is_file() => p,
        other => panic!(
            "Garage {GARAGE_VERSION} is missing ({}): run `cargo xtask setup`, which builds it once and caches it, or set SYNAQ_GARAGE to a garage binary",
            other.map_or("no cache directory".into(), |p| p.display().to_string())
        ),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b).expect("random");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[derive(Debug)]
struct Node {
    config: PathBuf,
    log: PathBuf,
    s3_port: u16,
    child: Option<Child>,
}

/// A running three-node Garage cluster with one access key.
#[derive(Debug)]
pub struct Garage {
    dir: tempfile::TempDir,
    bin: PathBuf,
    nodes: Vec<Node>,
    /// `id@127.0.0.1:port` of each node.
    ids: Vec<String>,
    /// The access key id.
    pub key_id: String,
    secret: String,
}

impl Drop for Garage {
    fn drop(&mut self) {
        for n in &mut self.nodes {
            if let Some(mut c) = n.child.take() {
                let _ = c.kill();
                let _ = c.wait();
            }
        }
    }
}

impl Garage {
    /// Starts the cluster, applies the layout, creates the key and the bucket `bucket`.
    pub fn start(bucket: &str) -> Garage {
        let bin = binary();
        let dir = tempfile::Builder::new()
            .prefix("synaq-garage-")
            .tempdir()
            .expect("temp dir");
        let secret = random_hex(32);
        let mut nodes = Vec::new();
        for i in 1..=3 {
            let base = dir.path().join(format!("n{i}"));
            std::fs::create_dir_all(base.join("meta")).expect("meta dir");
            std::fs::create_dir_all(base.join("data")).expect("data dir");
            let (rpc, s3, admin) = (free_port(), free_port(), free_port());
            let config = base.join("garage.toml");
            std::fs::write(
                &config,
                format!(
                    r#"metadata_dir = "{meta}"
data_dir = "{data}"
db_engine = "sqlite"
replication_factor = 3
rpc_bind_addr = "127.0.0.1:{rpc}"
rpc_public_addr = "127.0.0.1:{rpc}"
rpc_secret = "{secret}"

[s3_api]
s3_region = "{REGION}"
api_bind_addr = "127.0.0.1:{s3}"
root_domain = ".s3.garage.localhost"

[admin]
api_bind_addr = "127.0.0.1:{admin}"
"#,
                    meta = base.join("meta").display(),
                    data = base.join("data").display(),
                ),
            )
            .expect("node config");
            nodes.push(Node {
                config,
                log: base.join("garage.log"),
                s3_port: s3,
                child: None,
            });
        }
        let mut g = Garage {
            dir,
            bin,
            nodes,
            ids: Vec::new(),
            key_id: String::new(),
            secret: String::new(),
        };
        for i in 0..3 {
            g.start_node(i);
        }
        let ids: Vec<String> = (0..3)
            .map(|i| g.retry(i, &["node", "id", "-q"]).trim().to_owned())
            .collect();
        for id in &ids[1..] {
            g.retry(0, &["node", "connect", id]);
        }
        g.ids = ids.clone();
        for (i, id) in ids.iter().enumerate() {
            let short = id.split('@').next().expect("node id");
            let zone = format!("z{}", i + 1);
            g.retry(0, &["layout", "assign", "-z", &zone, "-c", "1G", short]);
        }
        g.retry(0, &["layout", "apply", "--version", "1"]);
        let out = g.retry(0, &["key", "create", "synaq-test"]);
        let field = |name: &str| {
            out.lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().to_owned())
                })
                .unwrap_or_else(|| panic!("no {name} in `garage key create`: {out}"))
        };
        g.key_id = field("Key ID");
        g.secret = field("Secret key");
        g.create_bucket(bucket);
        g
    }

    /// Creates another bucket the key may read and write, and waits until it answers.
    pub fn create_bucket(&self, bucket: &str) {
        self.retry(0, &["bucket", "create", bucket]);
        self.retry(
            0,
            &[
                "bucket",
                "allow",
                "--read",
                "--write",
                "--owner",
                bucket,
                "--key",
                "synaq-test",
            ],
        );
        // The layout and the key reach every node within moments; wait for a real write.
        let store = self.store(bucket);
        let start = Instant::now();
        loop {
            match store.probe() {
                Ok(()) => break,
                Err(e) if start.elapsed() < Duration::from_secs(60) => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("the Garage bucket {bucket} does not answer: {e}"),
            }
        }
    }

    fn start_node(&mut self, i: usize) {
        let n = &mut self.nodes[i];
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&n.log)
            .expect("node log");
        let child = Command::new(&self.bin)
            .arg("-c")
            .arg(&n.config)
            .arg("server")
            .env("RUST_LOG", "garage=warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", self.bin.display()));
        n.child = Some(child);
    }

    /// Runs the `garage` command line against node `i` until it succeeds (30 s at most).
    fn retry(&self, i: usize, args: &[&str]) -> String {
        let start = Instant::now();
        loop {
            let out = Command::new(&self.bin)
                .arg("-c")
                .arg(&self.nodes[i].config)
                .args(args)
                .env("RUST_LOG", "error")
                .output()
                .expect("garage runs");
            if out.status.success() {
                return String::from_utf8_lossy(&out.stdout).into_owned();
            }
            if start.elapsed() > Duration::from_secs(30) {
                panic!(
                    "garage {args:?} failed: {}\n{}\nnode log: {}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr),
                    self.log(i)
                );
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The tail of node `i`'s log (for failure messages).
    pub fn log(&self, i: usize) -> String {
        let text = std::fs::read_to_string(&self.nodes[i].log).unwrap_or_default();
        let mut start = text.len().saturating_sub(4000);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        text[start..].to_owned()
    }

    /// Node `i`'s S3 endpoint, `http://127.0.0.1:PORT`. Central talks to node 0.
    pub fn endpoint(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.nodes[i].s3_port)
    }

    /// How central reaches `bucket` (through node 0).
    pub fn config(&self, bucket: &str) -> S3Config {
        S3Config {
            bucket: bucket.into(),
            prefix: String::new(),
            endpoint: Some(self.endpoint(0)),
            region: REGION.into(),
            access_key_id: self.key_id.clone(),
            secret_access_key: self.secret.clone(),
        }
    }

    /// A store on `bucket`.
    pub fn store(&self, bucket: &str) -> EvidenceStore {
        EvidenceStore::s3(&self.config(bucket)).expect("S3 store")
    }

    /// The environment that makes `synaq-central` (or the loop's child central) use `bucket`.
    pub fn env(&self, bucket: &str) -> Vec<(String, String)> {
        vec![
            ("SYNAQ_EVIDENCE".into(), format!("s3://{bucket}")),
            ("SYNAQ_S3_ENDPOINT".into(), self.endpoint(0)),
            ("SYNAQ_S3_REGION".into(), REGION.into()),
            ("SYNAQ_S3_ACCESS_KEY_ID".into(), self.key_id.clone()),
            ("SYNAQ_S3_SECRET_ACCESS_KEY".into(), self.secret.clone()),
        ]
    }

    /// Kills node `i` (SIGKILL) and reaps it.
    pub fn kill(&mut self, i: usize) {
        if let Some(mut c) = self.nodes[i].child.take() {
            c.kill().expect("SIGKILL a Garage node");
            c.wait().expect("reap");
        }
    }

    /// Starts node `i` again on its data (after [`Garage::kill`]) and connects the running
    /// nodes to it (nodes that come back together would otherwise wait out their reconnection
    /// backoff).
    pub fn restart(&mut self, i: usize) {
        if self.nodes[i].child.is_some() {
            return;
        }
        self.start_node(i);
        let id = self.ids[i].clone();
        for j in 0..self.nodes.len() {
            if j != i && self.nodes[j].child.is_some() {
                self.retry(j, &["node", "connect", &id]);
            }
        }
    }

    /// The cluster's directory (configurations, data, logs).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}
