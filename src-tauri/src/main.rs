//! `synaq-kiosk`: the window territorial offices run.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(why) = synaq_kiosk::missing_display() {
        eprintln!("{why}");
        return ExitCode::from(2);
    }
    match synaq_kiosk::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synaq-kiosk: {e}");
            ExitCode::FAILURE
        }
    }
}
