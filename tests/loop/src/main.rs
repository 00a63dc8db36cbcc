//! `synaq-loop-central DIR ADDR`: central (HTTPS, the certificate kept in DIR) as a child
//! process the fault tests kill with SIGKILL. `SYNAQ_EVIDENCE=s3://BUCKET` with
//! `SYNAQ_S3_ENDPOINT`, `SYNAQ_S3_REGION` and the key in `SYNAQ_S3_ACCESS_KEY_ID` /
//! `SYNAQ_S3_SECRET_ACCESS_KEY` keeps evidence in S3; `SYNAQ_DATABASE=postgres://…` keeps
//! records in PostgreSQL.
#![forbid(unsafe_code)]

use std::sync::Arc;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: DIR ADDR"))?;
    let addr = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: DIR ADDR"))?;
    anyhow::ensure!(addr.starts_with("127.0.0.1:"), "loopback only");
    // The evidence store from the environment, as `synaq-central` reads it.
    let store = match std::env::var("SYNAQ_EVIDENCE")
        .ok()
        .filter(|e| e != "local")
    {
        None => synaq_central::store::EvidenceStore::local(
            std::path::Path::new(&dir).join(synaq_central::evidence::EVIDENCE_DIR),
        ),
        Some(url) => {
            let (bucket, prefix) = synaq_central::store::parse_s3_url(&url)?;
            let (access_key_id, secret_access_key) = synaq_central::store::s3_credentials(None)?;
            synaq_central::store::EvidenceStore::s3(&synaq_central::store::S3Config {
                bucket,
                prefix,
                endpoint: std::env::var("SYNAQ_S3_ENDPOINT").ok(),
                region: std::env::var("SYNAQ_S3_REGION").unwrap_or_else(|_| "garage".into()),
                access_key_id,
                secret_access_key,
            })?
        }
    };
    // The database from the environment too (SQLite when unset).
    let database =
        synaq_central::sql::Database::parse(&std::env::var("SYNAQ_DATABASE").unwrap_or_default())
            .map_err(anyhow::Error::msg)?;
    let central = synaq_central::Central::open_on(
        dir.as_ref(),
        &format!("https://{addr}"),
        store,
        &database,
    )?;
    let tls =
        synaq_central::tls::TlsIdentity::load_or_create(dir.as_ref(), &[])?.server_config()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        // The previous instance was just killed: its port may take a moment to free up.
        let mut tries = 0;
        let listener = loop {
            match tokio::net::TcpListener::bind(&addr).await {
                Ok(l) => break l,
                Err(e) if tries < 100 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        synaq_central::http::serve(Arc::new(central), listener, tls).await?;
        anyhow::Ok(())
    })
}
