//! Why something the kiosk needs at start (bank, roster, keys) could not be loaded.

use synaq_core::Code;

/// Why no bank, roster or key could be loaded: a code for the person, a detail for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// What the person is told.
    pub code: Code,
    /// What the operator's log says.
    pub detail: String,
}
