//! The names of every command the kiosk exposes. Shared with `build.rs`, so the ACL
//! (capabilities) and the handler cannot drift apart; a test checks the handler side.

/// Every IPC command, in the order the bindings list them.
pub const COMMANDS: &[&str] = &["list_categories", "set_language"];
