//! The result record a kiosk signs at the end of an exam and queues for ЕУМЦ.
//!
//! The types live in `synaq-wire` (shared with sync and central); re-exported here so the
//! store's users keep their paths.

pub use synaq_wire::result::*;
