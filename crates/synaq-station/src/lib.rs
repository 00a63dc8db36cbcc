//! The kiosk station: everything the kiosk does for its examinees, proctors and admins, with
//! no window, camera or network required to test it. The Tauri crate (`src-tauri`) is glue over
//! [`Station`]: each command looks the station up and calls one method here.
//!
//! The station is split by role and concern: sessions and roles (`station/session.rs`), the
//! examinee (`examinee.rs`), the proctor (`proctor.rs`), the admin (`admin.rs`), the camera
//! (`camera.rs`), sync with ЕУМЦ (`sync.rs`), and what it loads at start (`load.rs`,
//! `roster.rs`), and the removable drives the admin picks files from ([`drives`]). [`ipc`] holds the view types the window receives: never a correct answer, a
//! key or another person's data.
#![forbid(unsafe_code)]

pub mod command_names;
pub mod drives;
mod error;
pub mod ipc;
pub mod load;
pub mod roster;
mod station;

pub use load::LoadError;
pub use station::{Code, EnrollJob, MediaJob, Refusal, Station, SyncJob, OFFICE_ZONE};
