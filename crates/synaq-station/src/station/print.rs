//! Printing the certificate ЕУМЦ rendered, through CUPS, without any dialog: the admin picks
//! a printer once (the setting `printer`), and "Print" sends the stored PDF with `lp`. The
//! first print is the original; every later one is the reprint ЕУМЦ marked as a copy. Each
//! print is journalled (who, which certificate, original or copy, printer, CUPS job).
//!
//! `lp` and `lpstat` run with `LC_ALL=C` so their answers parse; `CUPS_SERVER` in the
//! environment chooses another scheduler (the e2e suite starts its own).

use std::io::Write as _;
use std::process::Command;

use synaq_core::Code;

use super::{Refusal, Station, R};
use crate::ipc::{PrintJobState, PrintJobView, PrinterState, PrinterView, PrintersView};

/// The setting that holds the chosen printer's name.
const PRINTER_SETTING: &str = "printer";

/// What CUPS said, as the kiosk understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CupsError {
    /// The scheduler does not answer (not running, or not installed).
    Unavailable(String),
    /// No such printer.
    NoPrinter(String),
    /// The printer refuses jobs.
    Rejecting(String),
}

impl From<CupsError> for Code {
    fn from(e: CupsError) -> Code {
        eprintln!("synaq-kiosk: printing: {e:?}");
        match e {
            CupsError::Unavailable(_) => Refusal::PrintUnavailable.into(),
            CupsError::NoPrinter(_) => Refusal::PrinterMissing.into(),
            CupsError::Rejecting(_) => Refusal::PrinterRejecting.into(),
        }
    }
}

fn run(program: &str, args: &[&str]) -> Result<String, CupsError> {
    let out = Command::new(program)
        .args(args)
        .env("LC_ALL", "C")
        .output()
        .map_err(|e| CupsError::Unavailable(format!("{program}: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        return Ok(stdout);
    }
    Err(classify(&stderr, args))
}

/// What a failed `lp`/`lpstat` meant, from its message.
fn classify(stderr: &str, args: &[&str]) -> CupsError {
    let printer = args
        .windows(2)
        .find(|w| w[0] == "-d" || w[0] == "-p")
        .map_or_else(String::new, |w| w[1].to_owned());
    let s = stderr.to_ascii_lowercase();
    if s.contains("does not exist") || s.contains("not a valid destination") {
        CupsError::NoPrinter(printer)
    } else if s.contains("not accepting") {
        CupsError::Rejecting(printer)
    } else {
        CupsError::Unavailable(stderr.trim().to_owned())
    }
}

/// The printers `lpstat -p` lists. "No destinations added" is an empty list, not an error.
pub(crate) fn printers() -> Result<Vec<(String, PrinterState)>, CupsError> {
    match run("lpstat", &["-p"]) {
        Ok(out) => Ok(parse_printers(&out)),
        Err(CupsError::Unavailable(m)) if m.to_ascii_lowercase().contains("no destinations") => {
            Ok(Vec::new())
        }
        Err(e) => Err(e),
    }
}

fn parse_printers(out: &str) -> Vec<(String, PrinterState)> {
    out.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("printer ")?;
            let (name, state) = rest.split_once(' ')?;
            let state = if state.contains("disabled") {
                PrinterState::Stopped
            } else if state.contains("now printing") {
                PrinterState::Printing
            } else {
                PrinterState::Idle
            };
            Some((name.to_owned(), state))
        })
        .collect()
}

/// Sends `pdf` to `printer` as one job titled `title`; returns the CUPS job id.
pub(crate) fn print(printer: &str, title: &str, pdf: &[u8]) -> Result<String, CupsError> {
    let mut file = tempfile::Builder::new()
        .prefix("synaq-certificate-")
        .suffix(".pdf")
        .tempfile()
        .map_err(|e| CupsError::Unavailable(format!("a temporary file: {e}")))?;
    file.write_all(pdf)
        .and_then(|()| file.flush())
        .map_err(|e| CupsError::Unavailable(format!("a temporary file: {e}")))?;
    let path = file.path().to_string_lossy().into_owned();
    let out = run(
        "lp",
        &["-d", printer, "-t", title, "-o", "media=A4", "--", &path],
    )?;
    parse_job(&out).ok_or_else(|| CupsError::Unavailable(format!("lp said {out:?}")))
}

/// `request id is Office-12 (1 file(s))` → `Office-12`.
fn parse_job(out: &str) -> Option<String> {
    let rest = out.split("request id is ").nth(1)?;
    rest.split_whitespace().next().map(str::to_owned)
}

/// Where job `job` on `printer` stands.
pub(crate) fn job_state(printer: &str, job: &str) -> Result<PrintJobState, CupsError> {
    let listed = |which: &str| -> Result<bool, CupsError> {
        let out = run("lpstat", &["-W", which, "-o", printer])?;
        Ok(out
            .lines()
            .any(|l| l.split_whitespace().next() == Some(job)))
    };
    if listed("completed")? {
        return Ok(PrintJobState::Printed);
    }
    if !listed("not-completed")? {
        // Cancelled or purged: CUPS no longer knows it.
        return Ok(PrintJobState::Gone);
    }
    let stopped = printers()?
        .iter()
        .any(|(n, s)| n == printer && *s == PrinterState::Stopped);
    Ok(if stopped {
        PrintJobState::PrinterStopped
    } else {
        PrintJobState::Queued
    })
}

impl Station {
    /// Admin: the printers CUPS knows and the one chosen for certificates.
    pub fn printers(&mut self, token: &str) -> R<PrintersView> {
        self.require_admin(token)?;
        let chosen = self.engine()?.settings().get(PRINTER_SETTING)?;
        let printers = printers()?
            .into_iter()
            .map(|(name, state)| PrinterView { name, state })
            .collect();
        Ok(PrintersView { printers, chosen })
    }

    /// Admin: chooses the printer certificates go to.
    pub fn choose_printer(&mut self, token: &str, name: &str) -> R<PrintersView> {
        self.require_admin(token)?;
        if !printers()?.iter().any(|(n, _)| n == name) {
            return Err(CupsError::NoPrinter(name.to_owned()).into());
        }
        self.engine()?.settings().set(PRINTER_SETTING, name)?;
        self.printers(token)
    }

    /// Admin: prints certificate `number` on the chosen printer, no dialog: the original the
    /// first time, the copy after. Journalled.
    pub fn print_certificate(&mut self, token: &str, number: &str) -> R<PrintJobView> {
        let admin = self.require_admin(token)?;
        let engine = self.engine()?;
        let cert = engine
            .certificates()?
            .into_iter()
            .find(|c| c.number == number)
            .ok_or(Code::from(Refusal::NoCertificate))?;
        if cert.status != "valid" {
            return Err(Refusal::CertificateRevoked.into());
        }
        let printer = engine
            .settings()
            .get(PRINTER_SETTING)?
            .ok_or(Code::from(Refusal::PrinterNotChosen))?;
        let copy = engine.prints_of(number)? > 0;
        let pdf = engine
            .certificate_pdf(number, copy)?
            .ok_or(Code::from(Refusal::CertificatePdfMissing))?;
        let title = if copy {
            format!("{number} copy")
        } else {
            number.to_owned()
        };
        let job = print(&printer, &title, &pdf)?;
        engine.record_print(&admin, number, copy, &printer, &job)?;
        Ok(PrintJobView {
            number: number.to_owned(),
            printer: printer.clone(),
            state: job_state(&printer, &job).unwrap_or(PrintJobState::Queued),
            job,
            copy,
        })
    }

    /// Admin: where a print job stands now.
    pub fn print_status(&mut self, token: &str, job: PrintJobView) -> R<PrintJobView> {
        self.require_admin(token)?;
        let state = job_state(&job.printer, &job.job)?;
        Ok(PrintJobView { state, ..job })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lpstat_and_lp_answers_parse() {
        let out = "printer Office is idle.  enabled since Fri 04 Dec 2026 10:00:00 AM\n\
                   printer Back now printing Back-3.  enabled since Fri 04 Dec 2026\n\
                   printer Old disabled since Fri 04 Dec 2026 -\n\treason unknown\n";
        assert_eq!(
            parse_printers(out),
            vec![
                ("Office".into(), PrinterState::Idle),
                ("Back".into(), PrinterState::Printing),
                ("Old".into(), PrinterState::Stopped),
            ]
        );
        assert_eq!(
            parse_job("request id is Office-12 (1 file(s))\n").as_deref(),
            Some("Office-12")
        );
        assert_eq!(parse_job("nonsense"), None);
    }

    #[test]
    fn cups_errors_are_told_apart() {
        let args = ["-d", "Office", "--", "/tmp/x.pdf"];
        assert_eq!(
            classify("lp: The printer or class does not exist.\n", &args),
            CupsError::NoPrinter("Office".into())
        );
        assert_eq!(
            classify("lp: Destination \"Office\" is not accepting jobs.\n", &args),
            CupsError::Rejecting("Office".into())
        );
        assert!(matches!(
            classify("lp: Scheduler is not running.\n", &args),
            CupsError::Unavailable(_)
        ));
    }
}
