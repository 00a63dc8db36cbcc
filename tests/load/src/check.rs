//! The public check `/v/{number}` under many concurrent clients, over the preloaded
//! certificates.
//!
//! Central allows each client address [`VERIFY_PER_MINUTE`] pages a minute per process, and
//! has no setting to lift that. The benchmark stays inside the limit instead of switching it
//! off: all of `127.0.0.0/8` is loopback, so each client binds its own source addresses and
//! moves to a fresh one (a new connection, as a new visitor's phone) after
//! [`VERIFY_PER_MINUTE`] pages. An answer `429` is still counted, as an error.

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use synaq_central::certificate::VERIFY_PER_MINUTE;
use synaq_sync::CentralPin;

use crate::preload;

/// What one check client measured.
#[derive(Debug, Default)]
pub struct ChecksRun {
    /// Each page's latency.
    pub latencies: Vec<Duration>,
    /// Pages answered `429 Too Many Requests`.
    pub rate_limited: u64,
    /// Everything else that went wrong.
    pub errors: Vec<String>,
}

/// The `n`-th source address: `127.1.0.1` onwards, never a `.0` or `.255`.
fn source(n: u64) -> IpAddr {
    let (host, net) = (n % 250 + 1, n / 250);
    IpAddr::V4(Ipv4Addr::new(
        127,
        1 + (net / 256) as u8,
        (net % 256) as u8,
        host as u8,
    ))
}

/// A pinned HTTPS client from source address `from`.
fn client(pin: CentralPin, from: IpAddr) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(synaq_sync::tls::client_config(pin)?)
        .https_only(true)
        .no_proxy()
        .local_address(from)
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(60))
        .build()?)
}

/// A deterministic spread of certificate indexes (SplitMix64).
fn spread(q: u64) -> u64 {
    let mut z = q.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Client `worker` loads `count` pages from `base`, of the `certificates` preloaded ones:
/// two in three with the check code (the page shows the holder), one in twenty an unknown
/// number (`404`).
pub async fn checks(
    base: &str,
    pin: CentralPin,
    worker: u64,
    count: u64,
    certificates: u64,
) -> ChecksRun {
    let mut run = ChecksRun::default();
    let per_address = u64::from(VERIFY_PER_MINUTE);
    let mut http = None;
    for k in 0..count {
        if k % per_address == 0 {
            // Addresses per worker: enough for `count` pages.
            let n = worker * count.div_ceil(per_address) + k / per_address;
            match client(pin, source(n)) {
                Ok(c) => http = Some(c),
                Err(e) => {
                    run.errors.push(format!("HTTPS client: {e:#}"));
                    return run;
                }
            }
        }
        let Some(http) = &http else { return run };
        let q = worker * count + k;
        let i = 1 + spread(q) % certificates.max(1);
        let (url, expect): (String, Option<String>) = match q % 60 {
            0..=2 => (format!("{base}/v/LOAD-0"), None),
            r if r % 3 == 0 => (
                format!("{base}/v/{}", preload::number(i)),
                Some(String::new()),
            ),
            _ => (
                format!(
                    "{base}/v/{}?c={}",
                    preload::number(i),
                    preload::check_code(i)
                ),
                Some(format!("Load Holder {i}<")),
            ),
        };
        let t = Instant::now();
        let answer = match http.get(&url).send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                r.text().await.map(|body| (status, body))
            }
            Err(e) => Err(e),
        };
        let took = t.elapsed();
        match (answer, expect) {
            (Ok((429, _)), _) => run.rate_limited += 1,
            (Ok((404, _)), None) => run.latencies.push(took),
            (Ok((200, body)), Some(holder)) if body.contains(&holder) => run.latencies.push(took),
            (Ok((status, _)), _) => run.errors.push(format!("{url}: status {status}")),
            (Err(e), _) => run.errors.push(format!("{url}: {e}")),
        }
    }
    run
}
