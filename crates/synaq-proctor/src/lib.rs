//! Synaq proctoring: where frames come from, what is checked on the kiosk, and how frames are
//! sealed as evidence only ЕУМЦ can open.
//!
//! - [`source`]: the [`FrameSource`] trait, fixture files, a failing source; [`camera`] (feature
//!   `camera`): the real webcam through nokhwa/v4l2.
//! - [`capture`]: a capture thread at the profile's interval with a one-slot channel, and the
//!   [`Proctor`] pipeline that checks and seals without blocking the exam.
//! - [`checks`]: face present / none / several (rustface), covered or dark lens, frozen feed,
//!   camera lost; each a [`Flag`] with an incident code ([`incident_kind`]).
//! - [`evidence`]: sealed frames and their hash chain (`docs/formats/evidence.md`).
//!
//! Nothing here knows about windows or the exam engine: the app journals flags as incidents
//! and puts [`ChainHead`] into the signed result.
#![forbid(unsafe_code)]

#[cfg(feature = "camera")]
pub mod camera;
pub mod capture;
pub mod checks;
pub mod evidence;
pub mod frame;
pub mod source;
#[doc(hidden)]
pub mod synth;

pub use capture::{Capture, Opener, Proctor, ProctorConfig, ProctorEvent};
pub use checks::{incident_kind, incident_note, CheckConfig, Checker, Flag, FlagKind, Observation};
pub use evidence::{
    truncate_segment, ChainHead, EvidenceError, EvidencePublic, EvidenceReader, EvidenceSecret,
    EvidenceWriter,
};
pub use frame::{Frame, FrameError, FrameHash, PixelFormat};
pub use source::{CameraError, FailingSource, FixtureSource, FrameSource};

/// Opens the real camera `index`, or [`CameraError::NoCamera`] on a machine without one
/// (and always when built without the `camera` feature).
pub fn open_camera(index: u32) -> Result<Box<dyn FrameSource>, CameraError> {
    #[cfg(feature = "camera")]
    {
        camera::NokhwaSource::open(index).map(|s| Box::new(s) as Box<dyn FrameSource>)
    }
    #[cfg(not(feature = "camera"))]
    {
        let _ = index;
        Err(CameraError::NoCamera)
    }
}
