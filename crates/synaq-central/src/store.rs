//! Where central keeps sealed webcam evidence: one interface, two backends.
//!
//! - [`EvidenceStore::Local`] (the default): `<data>/evidence/`, exactly the layout central
//!   always had: `<attempt>.part/<path>` grows by appends while a kiosk uploads,
//!   `<attempt>.media/` stages a copy from removable media, and `<attempt>/<path>` holds the
//!   evidence once its receipt is signed.
//! - [`EvidenceStore::S3`]: an S3 bucket (AWS, Garage, MinIO, …) through the `object_store`
//!   crate. S3 cannot append, so every acknowledged chunk is its own object,
//!   `<prefix><attempt>/<path>/<offset, 20 digits>`, written whole or not at all: the size a
//!   kiosk is told to resume from is the sum of the chunks that start at 0 and follow each
//!   other, never a half-written one. Completion moves nothing: the signed receipt in the
//!   database is what makes the chunks the attempt's evidence. A file is read back by
//!   concatenating its chunks in order. Frames are smaller than one chunk, so an exam's
//!   object count is about its file count.
//!
//! Every call is synchronous: the S3 backend runs its requests on a runtime of its own (two
//! threads), so the same code serves the HTTP handlers (inside `spawn_blocking`), the admin
//! commands (no runtime) and tests (inside one). Credentials never reach a log, an error or
//! the database: [`S3Config`]'s `Debug` hides the secret, and only [`EvidenceStore::identity`]
//! (bucket, prefix, endpoint) is recorded.

use std::collections::BTreeMap;
use std::future::Future;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{StreamExt as _, TryStreamExt as _};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjPath;
use object_store::{
    BackoffConfig, ClientOptions, GetOptions, ObjectStore, PutOptions, PutPayload, RetryConfig,
};
use synaq_sync::files::{copy_hashed, sha256_file, sync_dir, CopyError};

/// Why the evidence store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file of the local evidence directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The S3 store refused or could not be reached.
    #[error("{location}: {error} (check that the object store is up and the bucket exists)")]
    S3 {
        /// `s3://bucket/key`.
        location: String,
        /// What the store said.
        error: String,
    },
    /// The configuration does not name a usable store.
    #[error("{0}")]
    Config(String),
}

impl StoreError {
    /// Where it failed (a file or an object).
    pub fn location(&self) -> String {
        match self {
            StoreError::Io { path, .. } => path.clone(),
            StoreError::S3 { location, .. } => location.clone(),
            StoreError::Config(_) => "evidence store configuration".into(),
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Which copy of an attempt's evidence an operation means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// What a network upload stored so far (or, once completed, the evidence itself).
    Upload,
    /// A copy from removable media, checked before it becomes the evidence.
    Media,
}

/// How to reach an S3 bucket. `Debug` never shows the secret.
#[derive(Clone)]
pub struct S3Config {
    /// The bucket.
    pub bucket: String,
    /// A key prefix inside it (empty, or ending with `/`).
    pub prefix: String,
    /// `http(s)://host:port` of an S3-compatible service; `None` for AWS itself.
    pub endpoint: Option<String>,
    /// The region (`garage` for Garage's default, `us-east-1`, …).
    pub region: String,
    /// Access key id.
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"(hidden)")
            .finish()
    }
}

/// Parses `s3://BUCKET[/PREFIX]` into (bucket, prefix ending with `/` or empty).
pub fn parse_s3_url(url: &str) -> Result<(String, String), StoreError> {
    let rest = url.strip_prefix("s3://").ok_or_else(|| {
        StoreError::Config(format!(
            "evidence store {url:?}: give `local` or `s3://BUCKET[/PREFIX]`"
        ))
    })?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let ok = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    if bucket.is_empty() || !ok(bucket) {
        return Err(StoreError::Config(format!(
            "evidence store {url:?}: the bucket name must be letters, digits, '-', '_' or '.'"
        )));
    }
    let prefix = prefix.trim_matches('/');
    if !prefix.is_empty()
        && !prefix
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != ".." && ok(s))
    {
        return Err(StoreError::Config(format!(
            "evidence store {url:?}: the prefix must be path segments of letters, digits, '-', '_' or '.'"
        )));
    }
    let prefix = if prefix.is_empty() {
        String::new()
    } else {
        format!("{prefix}/")
    };
    Ok((bucket.to_owned(), prefix))
}

/// Reads S3 credentials: from `file` when given (TOML or `KEY=VALUE` lines with
/// `access_key_id` and `secret_access_key`), else from the environment
/// (`SYNAQ_S3_ACCESS_KEY_ID`, `SYNAQ_S3_SECRET_ACCESS_KEY`).
pub fn s3_credentials(file: Option<&Path>) -> Result<(String, String), StoreError> {
    if let Some(file) = file {
        let text = std::fs::read_to_string(file).map_err(io_err(file))?;
        let mut id = None;
        let mut secret = None;
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            let v = v.trim().trim_matches('"').to_owned();
            match k.trim() {
                "access_key_id" | "SYNAQ_S3_ACCESS_KEY_ID" => id = Some(v),
                "secret_access_key" | "SYNAQ_S3_SECRET_ACCESS_KEY" => secret = Some(v),
                _ => {}
            }
        }
        return match (id, secret) {
            (Some(i), Some(s)) if !i.is_empty() && !s.is_empty() => Ok((i, s)),
            _ => Err(StoreError::Config(format!(
                "{}: give access_key_id = \"…\" and secret_access_key = \"…\"",
                file.display()
            ))),
        };
    }
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        var("SYNAQ_S3_ACCESS_KEY_ID"),
        var("SYNAQ_S3_SECRET_ACCESS_KEY"),
    ) {
        (Some(i), Some(s)) => Ok((i, s)),
        _ => Err(StoreError::Config(
            "S3 evidence needs credentials: set SYNAQ_S3_ACCESS_KEY_ID and SYNAQ_S3_SECRET_ACCESS_KEY, or give --s3-credentials FILE".into(),
        )),
    }
}

/// Where central keeps evidence.
#[derive(Debug)]
pub enum EvidenceStore {
    /// A local directory (`<data>/evidence`).
    Local {
        /// The directory.
        root: PathBuf,
    },
    /// An S3 bucket.
    S3(S3Store),
}

/// An S3 bucket reached through `object_store`, with its own runtime.
pub struct S3Store {
    store: Arc<dyn ObjectStore>,
    bucket: String,
    prefix: String,
    endpoint: Option<String>,
    rt: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Store")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Drop for S3Store {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside another runtime (a test, a handler).
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// The chunk object name of the chunk starting at `offset`.
fn chunk_name(offset: u64) -> String {
    format!("{offset:020}")
}

impl S3Store {
    /// Connects (lazily: nothing is sent until the first call).
    pub fn new(cfg: &S3Config) -> Result<S3Store, StoreError> {
        // reqwest is built without a bundled crypto provider: central uses ring everywhere.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&cfg.bucket)
            .with_region(&cfg.region)
            .with_access_key_id(&cfg.access_key_id)
            .with_secret_access_key(&cfg.secret_access_key)
            // A store that is down must answer within seconds (`/readyz`, a kiosk's upload),
            // not after object_store's default three minutes of retries.
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(100),
                    max_backoff: Duration::from_secs(2),
                    base: 2.0,
                },
                max_retries: 4,
                retry_timeout: Duration::from_secs(20),
            })
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(3))
                    .with_timeout(Duration::from_secs(60))
                    .with_allow_http(
                        cfg.endpoint
                            .as_deref()
                            .is_some_and(|e| e.starts_with("http://")),
                    ),
            );
        if let Some(e) = &cfg.endpoint {
            b = b.with_endpoint(e).with_virtual_hosted_style_request(false);
        }
        let store = b.build().map_err(|e| StoreError::Config(e.to_string()))?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("synaq-s3")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Config(format!("cannot start the S3 runtime: {e}")))?;
        Ok(S3Store {
            store: Arc::new(store),
            bucket: cfg.bucket.clone(),
            prefix: cfg.prefix.clone(),
            endpoint: cfg.endpoint.clone(),
            rt: Some(rt),
        })
    }

    fn key(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    fn location(&self, rel: &str) -> String {
        format!("s3://{}/{}", self.bucket, self.key(rel))
    }

    fn err(&self, rel: &str) -> impl FnOnce(object_store::Error) -> StoreError + '_ {
        let location = self.location(rel);
        move |e| StoreError::S3 {
            location,
            error: e.to_string(),
        }
    }

    /// Runs `f` on the store's runtime and waits for it, from any thread.
    fn run<T: Send + 'static>(
        &self,
        rel: &str,
        f: impl Future<Output = Result<T, object_store::Error>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let rt = self
            .rt
            .as_ref()
            .expect("the runtime lives as long as the store");
        rt.spawn(async move {
            let _ = tx.send(f.await);
        });
        match rx.recv() {
            Ok(r) => r.map_err(self.err(rel)),
            Err(_) => Err(StoreError::S3 {
                location: self.location(rel),
                error: "the request was abandoned".into(),
            }),
        }
    }

    /// Every object under `rel/` with its size, keys relative to `rel/`.
    fn list(&self, rel: &str) -> Result<BTreeMap<String, u64>, StoreError> {
        let store = Arc::clone(&self.store);
        let full = self.key(rel);
        let p = ObjPath::from(full.trim_end_matches('/'));
        let metas = self.run(rel, async move {
            store
                .list(Some(&p))
                .try_collect::<Vec<object_store::ObjectMeta>>()
                .await
        })?;
        let base = format!("{}/", full.trim_end_matches('/'));
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                m.location
                    .as_ref()
                    .strip_prefix(&base)
                    .map(|r| (r.to_owned(), m.size))
            })
            .collect())
    }

    fn put(&self, rel: &str, data: Vec<u8>) -> Result<(), StoreError> {
        let store = Arc::clone(&self.store);
        let p = ObjPath::from(self.key(rel));
        self.run(rel, async move {
            store
                .put_opts(&p, PutPayload::from(data), PutOptions::default())
                .await
                .map(|_| ())
        })
    }

    fn get(&self, rel: &str) -> Result<Vec<u8>, StoreError> {
        let store = Arc::clone(&self.store);
        let p = ObjPath::from(self.key(rel));
        self.run(rel, async move {
            let r = store.get_opts(&p, GetOptions::default()).await?;
            r.bytes().await.map(|b| b.to_vec())
        })
    }

    fn delete_all(&self, rel: &str, names: Vec<String>) -> Result<usize, StoreError> {
        let n = names.len();
        if n == 0 {
            return Ok(0);
        }
        let store = Arc::clone(&self.store);
        let paths: Vec<ObjPath> = names.iter().map(|k| ObjPath::from(self.key(k))).collect();
        self.run(rel, async move {
            let s = futures_util::stream::iter(paths.into_iter().map(Ok)).boxed();
            store
                .delete_stream(s)
                .try_collect::<Vec<ObjPath>>()
                .await
                .map(|_| ())
        })?;
        Ok(n)
    }

    /// Every object named in `rels`, fetched 16 at a time, in the order given.
    fn get_many(&self, rels: Vec<String>) -> Result<Vec<Vec<u8>>, StoreError> {
        let store = Arc::clone(&self.store);
        let paths: Vec<ObjPath> = rels.iter().map(|k| ObjPath::from(self.key(k))).collect();
        let first = rels.first().cloned().unwrap_or_default();
        self.run(&first, async move {
            futures_util::stream::iter(paths.into_iter().map(|p| {
                let store = Arc::clone(&store);
                async move {
                    let r = store.get_opts(&p, GetOptions::default()).await?;
                    r.bytes().await.map(|b| b.to_vec())
                }
            }))
            .buffered(16)
            .try_collect::<Vec<Vec<u8>>>()
            .await
        })
    }

    /// Each file under `attempt/` with its chunks (offset, size) in order.
    fn chunks(&self, attempt: &str) -> Result<BTreeMap<String, Vec<(u64, u64)>>, StoreError> {
        let mut out: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
        for (rel, size) in self.list(attempt)? {
            let Some((file, off)) = rel.rsplit_once('/') else {
                continue;
            };
            let Ok(off) = off.parse::<u64>() else {
                continue;
            };
            out.entry(file.to_owned()).or_default().push((off, size));
        }
        for v in out.values_mut() {
            v.sort_unstable();
        }
        Ok(out)
    }
}

/// The bytes a file's chunks hold from offset 0 without a gap, and how many chunks that is.
fn contiguous(chunks: &[(u64, u64)]) -> (u64, usize) {
    let mut have = 0;
    let mut n = 0;
    for &(off, size) in chunks {
        if off != have {
            break;
        }
        have += size;
        n += 1;
    }
    (have, n)
}

/// Every file under `dir`, as (relative path with `/`, size).
pub(crate) fn list_files(dir: &Path) -> std::io::Result<BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![(dir.to_owned(), String::new())];
    while let Some((d, rel)) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            let r = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            if e.file_type()?.is_dir() {
                stack.push((e.path(), r));
            } else {
                out.insert(r, e.metadata()?.len());
            }
        }
    }
    Ok(out)
}

fn write_file(to: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    std::fs::write(to, bytes).map_err(io_err(to))
}

/// Why copying a file from removable media into the store failed.
#[derive(Debug)]
pub enum MediaCopyError {
    /// The media could not be read.
    Read(std::io::Error),
    /// The store could not be written.
    Store(StoreError),
}

/// A completed attempt's evidence as a local directory (the directory itself for the local
/// store, a temporary copy for S3, removed when dropped).
#[derive(Debug)]
pub struct LocalView {
    path: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl LocalView {
    /// The directory holding `<segment>/…`.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl EvidenceStore {
    /// The local directory `root`.
    pub fn local(root: impl Into<PathBuf>) -> EvidenceStore {
        EvidenceStore::Local { root: root.into() }
    }

    /// An S3 bucket.
    pub fn s3(cfg: &S3Config) -> Result<EvidenceStore, StoreError> {
        Ok(EvidenceStore::S3(S3Store::new(cfg)?))
    }

    /// What is recorded in the database so that the data directory is not opened with
    /// another store by mistake: `local`, or `s3://bucket/prefix` with the endpoint. No
    /// credentials.
    pub fn identity(&self) -> String {
        match self {
            EvidenceStore::Local { .. } => "local".into(),
            EvidenceStore::S3(s) => format!(
                "s3://{}/{} at {}",
                s.bucket,
                s.prefix,
                s.endpoint.as_deref().unwrap_or("AWS")
            ),
        }
    }

    /// For messages: the directory or the bucket.
    pub fn describe(&self) -> String {
        match self {
            EvidenceStore::Local { root } => format!("directory {}", root.display()),
            EvidenceStore::S3(_) => self.identity(),
        }
    }

    /// Whether this is the S3 backend.
    pub fn is_s3(&self) -> bool {
        matches!(self, EvidenceStore::S3(_))
    }

    fn part_dir(root: &Path, attempt: &str) -> PathBuf {
        root.join(format!("{attempt}.part"))
    }

    fn media_dir(root: &Path, attempt: &str) -> PathBuf {
        root.join(format!("{attempt}.media"))
    }

    /// The local directory a local store keeps `attempt` in for `area`.
    fn local_dir(root: &Path, attempt: &str, area: Area) -> PathBuf {
        match area {
            Area::Media => Self::media_dir(root, attempt),
            Area::Upload => {
                // The `.part` directory until completed; the final one if a completion was
                // cut off after the move.
                let part = Self::part_dir(root, attempt);
                if part.exists() {
                    part
                } else {
                    root.join(attempt)
                }
            }
        }
    }

    /// The files stored for `attempt` in `area` with their sizes (for S3: the bytes a
    /// resumed upload may build on).
    pub fn files(&self, attempt: &str, area: Area) -> Result<BTreeMap<String, u64>, StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let dir = Self::local_dir(root, attempt, area);
                list_files(&dir).map_err(io_err(&dir))
            }
            EvidenceStore::S3(s) => Ok(s
                .chunks(attempt)?
                .into_iter()
                .map(|(f, c)| (f, contiguous(&c).0))
                .collect()),
        }
    }

    /// The bytes stored so far of one file of an upload.
    pub fn uploaded_size(&self, attempt: &str, path: &str) -> Result<u64, StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let p = Self::part_dir(root, attempt).join(path);
                match std::fs::metadata(&p) {
                    Ok(m) => Ok(m.len()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
                    Err(e) => Err(io_err(&p)(e)),
                }
            }
            EvidenceStore::S3(s) => {
                let mut c: Vec<(u64, u64)> = s
                    .list(&format!("{attempt}/{path}"))?
                    .into_iter()
                    .filter_map(|(k, size)| k.parse::<u64>().ok().map(|o| (o, size)))
                    .collect();
                c.sort_unstable();
                Ok(contiguous(&c).0)
            }
        }
    }

    /// Appends `data` at `offset` (the caller checked `offset` is [`Self::uploaded_size`]),
    /// durably: an fsynced append, or one whole object.
    pub fn append(
        &self,
        attempt: &str,
        path: &str,
        offset: u64,
        data: &[u8],
    ) -> Result<(), StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let p = Self::part_dir(root, attempt).join(path);
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
                }
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&p)
                    .map_err(io_err(&p))?;
                f.write_all(data)
                    .and_then(|()| f.sync_data())
                    .map_err(io_err(&p))
            }
            EvidenceStore::S3(s) => s.put(
                &format!("{attempt}/{path}/{}", chunk_name(offset)),
                data.to_vec(),
            ),
        }
    }

    /// The whole bytes of one stored file in `area`.
    pub fn read(&self, attempt: &str, area: Area, path: &str) -> Result<Vec<u8>, StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let p = Self::local_dir(root, attempt, area).join(path);
                std::fs::read(&p).map_err(io_err(&p))
            }
            EvidenceStore::S3(s) => {
                let prefix = format!("{attempt}/{path}");
                let mut c: Vec<(u64, u64)> = s
                    .list(&prefix)?
                    .into_iter()
                    .filter_map(|(k, size)| k.parse::<u64>().ok().map(|o| (o, size)))
                    .collect();
                c.sort_unstable();
                let (size, n) = contiguous(&c);
                let mut out = Vec::with_capacity(size as usize);
                for &(off, _) in &c[..n] {
                    out.extend(s.get(&format!("{prefix}/{}", chunk_name(off)))?);
                }
                Ok(out)
            }
        }
    }

    /// SHA-256 (hex) of one stored file in `area`.
    pub fn sha256(&self, attempt: &str, area: Area, path: &str) -> Result<String, StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let p = Self::local_dir(root, attempt, area).join(path);
                Ok(sha256_file(&p).map_err(io_err(&p))?.1)
            }
            EvidenceStore::S3(_) => Ok(hex::encode(ring::digest::digest(
                &ring::digest::SHA256,
                &self.read(attempt, area, path)?,
            ))),
        }
    }

    /// Every file stored for `attempt` in `area` with its size and SHA-256 (hex): for S3 one
    /// listing and the chunks fetched concurrently, not a round trip per file.
    pub fn digests(
        &self,
        attempt: &str,
        area: Area,
    ) -> Result<BTreeMap<String, (u64, String)>, StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let dir = Self::local_dir(root, attempt, area);
                let mut out = BTreeMap::new();
                for (path, size) in list_files(&dir).map_err(io_err(&dir))? {
                    let p = dir.join(&path);
                    let sha = sha256_file(&p).map_err(io_err(&p))?.1;
                    out.insert(path, (size, sha));
                }
                Ok(out)
            }
            EvidenceStore::S3(s) => {
                let chunks = s.chunks(attempt)?;
                let mut names = Vec::new();
                let mut owners = Vec::new();
                for (f, c) in &chunks {
                    for &(off, _) in &c[..contiguous(c).1] {
                        names.push(format!("{attempt}/{f}/{}", chunk_name(off)));
                        owners.push(f.clone());
                    }
                }
                let mut ctx: BTreeMap<String, (u64, ring::digest::Context)> = chunks
                    .keys()
                    .map(|f| {
                        (
                            f.clone(),
                            (0, ring::digest::Context::new(&ring::digest::SHA256)),
                        )
                    })
                    .collect();
                for (owner, bytes) in owners.into_iter().zip(s.get_many(names)?) {
                    let e = ctx.get_mut(&owner).expect("listed");
                    e.0 += bytes.len() as u64;
                    e.1.update(&bytes);
                }
                Ok(ctx
                    .into_iter()
                    .map(|(f, (size, c))| (f, (size, hex::encode(c.finish()))))
                    .collect())
            }
        }
    }

    /// Makes what `area` holds the attempt's evidence (local: moved under its final name;
    /// S3: the chunks already are, nothing moves).
    pub fn seal(&self, attempt: &str, area: Area) -> Result<(), StoreError> {
        let EvidenceStore::Local { root } = self else {
            return Ok(());
        };
        let dir = Self::local_dir(root, attempt, area);
        let fin = root.join(attempt);
        if dir != fin {
            if fin.exists() {
                std::fs::remove_dir_all(&fin).map_err(io_err(&fin))?;
            }
            std::fs::rename(&dir, &fin).map_err(io_err(&dir))?;
            sync_dir(root);
        }
        if area == Area::Media {
            // An upload over the network cut off before: the media delivered it whole.
            let part = Self::part_dir(root, attempt);
            if part.exists() {
                std::fs::remove_dir_all(&part).ok();
            }
        }
        Ok(())
    }

    /// Before copying from media: local: a fresh staging directory; S3: whatever a cut-off
    /// upload left is dropped (the media carries every file whole).
    pub fn begin_media(&self, attempt: &str) -> Result<(), StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let staging = Self::media_dir(root, attempt);
                if staging.exists() {
                    std::fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
                }
                Ok(())
            }
            EvidenceStore::S3(_) => self.delete(attempt).map(|_| ()),
        }
    }

    /// Copies one file from the media into the media area; returns its size and SHA-256.
    pub fn put_media(
        &self,
        attempt: &str,
        path: &str,
        from: &Path,
    ) -> Result<(u64, String), MediaCopyError> {
        match self {
            EvidenceStore::Local { root } => {
                let staging = Self::media_dir(root, attempt);
                let to = staging.join(path);
                let parent = to.parent().unwrap_or(&staging).to_owned();
                std::fs::create_dir_all(&parent)
                    .map_err(|e| MediaCopyError::Store(io_err(&parent)(e)))?;
                match copy_hashed(from, &to) {
                    Ok(r) => {
                        sync_dir(&parent);
                        Ok(r)
                    }
                    Err(CopyError::Read(e)) => Err(MediaCopyError::Read(e)),
                    Err(CopyError::Write(e)) => Err(MediaCopyError::Store(io_err(&to)(e))),
                }
            }
            EvidenceStore::S3(s) => {
                let bytes = std::fs::read(from).map_err(MediaCopyError::Read)?;
                let sha = hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes));
                let size = bytes.len() as u64;
                s.put(&format!("{attempt}/{path}/{}", chunk_name(0)), bytes)
                    .map_err(MediaCopyError::Store)?;
                Ok((size, sha))
            }
        }
    }

    /// After a media copy that was not accepted: what it wrote is not evidence central holds.
    pub fn abort_media(&self, attempt: &str) {
        match self {
            EvidenceStore::Local { root } => {
                let staging = Self::media_dir(root, attempt);
                if staging.exists() {
                    std::fs::remove_dir_all(&staging).ok();
                }
            }
            EvidenceStore::S3(_) => {
                let _ = self.delete(attempt);
            }
        }
    }

    /// Stores one file of completed evidence whole (a restore).
    pub fn put_completed(&self, attempt: &str, path: &str, data: &[u8]) -> Result<(), StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let p = root.join(attempt).join(path);
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
                }
                synaq_seal::fs::write_atomic(&p, data).map_err(io_err(&p))
            }
            EvidenceStore::S3(s) => s.put(
                &format!("{attempt}/{path}/{}", chunk_name(0)),
                data.to_vec(),
            ),
        }
    }

    /// Deletes everything kept for `attempt` (the completed evidence; for S3 also chunks of an
    /// upload). Returns whether anything was there.
    pub fn delete(&self, attempt: &str) -> Result<bool, StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let dir = root.join(attempt);
                if dir.exists() {
                    std::fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
                    return Ok(true);
                }
                Ok(false)
            }
            EvidenceStore::S3(s) => {
                let names: Vec<String> = s
                    .list(attempt)?
                    .into_keys()
                    .map(|k| format!("{attempt}/{k}"))
                    .collect();
                Ok(s.delete_all(attempt, names)? > 0)
            }
        }
    }

    /// Whether evidence of `attempt` is kept: the completed directory (local), any object
    /// under the attempt (S3, where an upload in progress counts too).
    pub fn exists(&self, attempt: &str) -> Result<bool, StoreError> {
        match self {
            EvidenceStore::Local { root } => Ok(root.join(attempt).is_dir()),
            EvidenceStore::S3(s) => Ok(!s.list(attempt)?.is_empty()),
        }
    }

    /// The completed evidence of `attempt` as a local directory.
    pub fn view(&self, attempt: &str) -> Result<LocalView, StoreError> {
        match self {
            EvidenceStore::Local { root } => Ok(LocalView {
                path: root.join(attempt),
                _temp: None,
            }),
            EvidenceStore::S3(_) => {
                let temp = tempfile::Builder::new()
                    .prefix("synaq-evidence-")
                    .tempdir()
                    .map_err(io_err(Path::new("temporary directory")))?;
                self.export(attempt, temp.path())?;
                Ok(LocalView {
                    path: temp.path().to_owned(),
                    _temp: Some(temp),
                })
            }
        }
    }

    /// Writes the completed evidence of `attempt` into `out` (`out/<segment>/…`); returns the
    /// files written with their sizes.
    pub fn export(&self, attempt: &str, out: &Path) -> Result<BTreeMap<String, u64>, StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                let d = root.join(attempt);
                let files = list_files(&d).map_err(io_err(&d))?;
                for path in files.keys() {
                    let p = d.join(path);
                    write_file(&out.join(path), &std::fs::read(&p).map_err(io_err(&p))?)?;
                }
                Ok(files)
            }
            EvidenceStore::S3(s) => {
                // One listing, then every chunk fetched concurrently.
                let chunks = s.chunks(attempt)?;
                let mut names = Vec::new();
                let mut owners = Vec::new();
                let mut files = BTreeMap::new();
                for (f, c) in &chunks {
                    let (size, n) = contiguous(c);
                    files.insert(f.clone(), size);
                    for &(off, _) in &c[..n] {
                        names.push(format!("{attempt}/{f}/{}", chunk_name(off)));
                        owners.push(f.clone());
                    }
                }
                let mut bodies: BTreeMap<String, Vec<u8>> = BTreeMap::new();
                for (owner, bytes) in owners.into_iter().zip(s.get_many(names)?) {
                    bodies.entry(owner).or_default().extend(bytes);
                }
                for (path, bytes) in &bodies {
                    write_file(&out.join(path), bytes)?;
                }
                Ok(files)
            }
        }
    }

    /// Whether the store holds nothing (a restore writes only into an empty store).
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        match self {
            EvidenceStore::Local { root } => Ok(list_files(root).map_err(io_err(root))?.is_empty()),
            EvidenceStore::S3(s) => {
                let store = Arc::clone(&s.store);
                let p =
                    (!s.prefix.is_empty()).then(|| ObjPath::from(s.prefix.trim_end_matches('/')));
                let first = s.run("", async move {
                    store.list(p.as_ref()).next().await.transpose()
                })?;
                Ok(first.is_none())
            }
        }
    }

    /// `/readyz`: a small object is written, read back and deleted.
    pub fn probe(&self) -> Result<(), StoreError> {
        match self {
            EvidenceStore::Local { root } => {
                std::fs::create_dir_all(root).map_err(io_err(root))?;
                let probe = root.join(".ready");
                std::fs::write(&probe, b"ok").map_err(io_err(&probe))?;
                std::fs::remove_file(&probe).map_err(io_err(&probe))
            }
            EvidenceStore::S3(s) => {
                let mut r = [0u8; 8];
                ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut r)
                    .map_err(|_| StoreError::Config("no system randomness".into()))?;
                let rel = format!("ready-probe/{}", hex::encode(r));
                s.put(&rel, b"ok".to_vec())?;
                let back = s.get(&rel)?;
                s.delete_all(&rel, vec![rel.clone()])?;
                if back != b"ok" {
                    return Err(StoreError::S3 {
                        location: s.location(&rel),
                        error: "read back other bytes than were written".into(),
                    });
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_urls_parse_and_junk_is_refused() {
        assert_eq!(
            parse_s3_url("s3://evidence").unwrap(),
            ("evidence".into(), String::new())
        );
        assert_eq!(
            parse_s3_url("s3://ev-1/central/a/").unwrap(),
            ("ev-1".into(), "central/a/".into())
        );
        for bad in [
            "evidence",
            "s3://",
            "s3://a b",
            "s3://b/../x",
            "s3://b/x//y",
            "file:///x",
        ] {
            assert!(
                matches!(parse_s3_url(bad), Err(StoreError::Config(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_chunks_that_follow_each_other_from_zero_count() {
        assert_eq!(contiguous(&[]), (0, 0));
        assert_eq!(contiguous(&[(0, 10), (10, 5)]), (15, 2));
        // A gap (a lost chunk) ends what a resume may build on.
        assert_eq!(contiguous(&[(0, 10), (12, 5)]), (10, 1));
        assert_eq!(contiguous(&[(5, 10)]), (0, 0));
    }

    #[test]
    fn the_secret_never_prints() {
        let cfg = S3Config {
            bucket: "b".into(),
            prefix: String::new(),
            endpoint: Some("http://127.0.0.1:3900".into()),
            region: "garage".into(),
            access_key_id: "GKid".into(),
            secret_access_key: "very-secret-value".into(),
        };
        let shown = format!("{cfg:?}");
        assert!(!shown.contains("very-secret-value"), "{shown}");
        assert!(shown.contains("GKid"));
        let store = EvidenceStore::s3(&cfg).unwrap();
        assert!(!format!("{store:?}").contains("very-secret-value"));
        assert!(!store.identity().contains("very-secret-value"));
        assert!(!store.identity().contains("GKid"));
    }

    #[test]
    fn credentials_come_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s3.toml");
        std::fs::write(
            &f,
            "access_key_id = \"GK1\"\nsecret_access_key = \"s3cr3t\"\n",
        )
        .unwrap();
        assert_eq!(
            s3_credentials(Some(&f)).unwrap(),
            ("GK1".into(), "s3cr3t".into())
        );
        std::fs::write(&f, "access_key_id = \"GK1\"\n").unwrap();
        let e = s3_credentials(Some(&f)).unwrap_err().to_string();
        assert!(e.contains("secret_access_key"), "{e}");
    }
}
