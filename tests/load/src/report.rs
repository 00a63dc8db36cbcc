//! The report: a plain-text table for people, one JSON line for scripts.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

/// Latencies of one kind of operation, in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Latency {
    /// How many were measured.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
}

impl Latency {
    /// The percentiles of `samples` (nearest rank).
    pub fn of(mut samples: Vec<Duration>) -> Latency {
        if samples.is_empty() {
            return Latency::default();
        }
        samples.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let rank = |p: f64| {
            let i = ((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
            ms(samples[i - 1])
        };
        Latency {
            count: samples.len(),
            p50_ms: rank(0.50),
            p99_ms: rank(0.99),
            max_ms: ms(samples[samples.len() - 1]),
        }
    }
}

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `sqlite-local`, `postgres-s3`, …
    pub backend: String,
    /// Simulated kiosks.
    pub kiosks: usize,
    /// Results pushed (each with its evidence).
    pub results: u64,
    /// Central processes.
    pub centrals: usize,
    /// Certificates preloaded.
    pub certificates_preloaded: u64,
    /// Making the kiosks, results and evidence (not timed in the figures below).
    pub setup_s: f64,
    /// The preload statement.
    pub preload_s: f64,
    /// The timed ingest phase: every push and evidence upload.
    pub ingest_s: f64,
    /// Results delivered and their evidence uploaded per second (certified or failed).
    pub results_per_s: f64,
    /// HTTPS requests in the ingest phase (pushes, evidence status, chunks, completes).
    pub requests: u64,
    /// Those per second.
    pub requests_per_s: f64,
    /// Central's 5xx answers in the ingest phase, each retried by the kiosk's client (with
    /// SQLite and several processes: `database is locked`).
    pub ingest_retried_5xx: u64,
    /// CPU seconds the central processes used in the ingest phase (all of them together).
    pub central_cpu_s: Option<f64>,
    /// CPU seconds the load tool itself (the kiosks' side: TLS, signing, JSON) used then.
    pub load_tool_cpu_s: Option<f64>,
    /// Per route, the mean milliseconds central took to answer (its request log; queueing
    /// for the database included, the network not).
    pub central_mean_ms: std::collections::BTreeMap<String, f64>,
    /// One `/v1/push` of a kiosk's results (verify, replay, rules, store, receipts).
    pub push: Latency,
    /// One attempt's evidence upload (status, chunks, complete: the certificate is issued).
    pub evidence_upload: Latency,
    /// One kiosk's whole sync (push, then every attempt's evidence).
    pub kiosk_sync: Latency,
    /// Passes central certified with no hold reason.
    pub certified: u64,
    /// Fails central recorded as failed with no hold reason.
    pub failed: u64,
    /// Passes pushed.
    pub expected_certified: u64,
    /// Fails pushed.
    pub expected_failed: u64,
    /// Growth of the database per result (`None`: not measured for this database).
    pub database_bytes_per_result: Option<f64>,
    /// The database's size at the end.
    pub database_bytes_after: Option<u64>,
    /// Evidence bytes each exam sent.
    pub evidence_sent_per_exam: f64,
    /// Evidence bytes the store holds per exam.
    pub evidence_stored_per_exam: f64,
    /// Public-check pages answered as expected.
    pub checks: u64,
    /// Concurrent public-check clients.
    pub check_clients: u64,
    /// The public-check phase.
    pub check_s: f64,
    /// Pages per second.
    pub checks_per_s: f64,
    /// One page.
    pub check: Latency,
    /// Pages refused by the per-address limit (counted in `errors` too).
    pub rate_limited: u64,
    /// Central's 5xx answers to the public check (each one also an error).
    pub check_5xx: u64,
    /// Everything that went wrong; must be 0.
    pub errors: u64,
    /// The first errors, for the reader.
    pub first_errors: Vec<String>,
    /// The whole run.
    pub total_s: f64,
}

impl Report {
    /// Whether the run is valid: nothing went wrong and every result is where it must be.
    pub fn ok(&self) -> bool {
        self.errors == 0
            && self.rate_limited == 0
            && self.check_5xx == 0
            && self.certified == self.expected_certified
            && self.failed == self.expected_failed
    }

    /// The table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let mut line = |k: &str, v: String| {
            let _ = writeln!(s, "  {k:<44} {v}");
        };
        let lat = |l: &Latency| {
            format!(
                "p50 {:>8.1} ms   p99 {:>8.1} ms   max {:>8.1} ms   (n={})",
                l.p50_ms, l.p99_ms, l.max_ms, l.count
            )
        };
        line("backend", self.backend.clone());
        line(
            "kiosks / results / central processes",
            format!("{} / {} / {}", self.kiosks, self.results, self.centrals),
        );
        line(
            "certificates preloaded",
            format!("{} in {:.1} s", self.certificates_preloaded, self.preload_s),
        );
        line("set-up (not timed)", format!("{:.1} s", self.setup_s));
        line(
            "ingest: results with evidence",
            format!(
                "{:.1} results/s ({} in {:.1} s; {} HTTPS requests, {:.0}/s)",
                self.results_per_s, self.results, self.ingest_s, self.requests, self.requests_per_s
            ),
        );
        line(
            "  5xx answers, retried by the kiosks",
            self.ingest_retried_5xx.to_string(),
        );
        let cpu = |c: Option<f64>| c.map_or("not measured".into(), |c| format!("{c:.1} s"));
        line(
            "  CPU: central processes / load tool",
            format!(
                "{} / {} (of {:.1} s wall)",
                cpu(self.central_cpu_s),
                cpu(self.load_tool_cpu_s),
                self.ingest_s
            ),
        );
        line("  push (a kiosk's results)", lat(&self.push));
        line("  evidence upload (one exam)", lat(&self.evidence_upload));
        line("  kiosk sync (push + evidence)", lat(&self.kiosk_sync));
        line(
            "  certified / failed (expected)",
            format!(
                "{} / {} ({} / {})",
                self.certified, self.failed, self.expected_certified, self.expected_failed
            ),
        );
        line(
            "  database bytes per result",
            self.database_bytes_per_result
                .map_or("not measured".into(), |b| format!("{b:.0}")),
        );
        line(
            "  evidence bytes per exam",
            format!(
                "{:.0} stored ({:.0} sent)",
                self.evidence_stored_per_exam, self.evidence_sent_per_exam
            ),
        );
        line(
            "public check /v/",
            format!(
                "{:.0} pages/s ({} pages, {} clients, {:.1} s)",
                self.checks_per_s, self.checks, self.check_clients, self.check_s
            ),
        );
        line("  one page", lat(&self.check));
        line(
            "  rate-limited (429) / 5xx",
            format!("{} / {}", self.rate_limited, self.check_5xx),
        );
        for (route, ms) in &self.central_mean_ms {
            line(
                &format!("  central's mean time {route}"),
                format!("{ms:.1} ms"),
            );
        }
        line("errors", self.errors.to_string());
        for e in &self.first_errors {
            line("  error", e.clone());
        }
        line("total", format!("{:.1} s", self.total_s));
        s
    }
}
