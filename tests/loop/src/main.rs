//! `synaq-loop-central DIR ADDR`: central (HTTPS, the certificate kept in DIR) as a child
//! process the fault tests kill with SIGKILL.
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
    let central = synaq_central::Central::open(dir.as_ref(), &format!("https://{addr}"))?;
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
