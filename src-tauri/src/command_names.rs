//! The names of every command the kiosk exposes. Shared with `build.rs`, so the ACL
//! (capabilities) and the handler cannot drift apart; tests check both sides.

/// Every IPC command, in the order the bindings list them.
pub const COMMANDS: &[&str] = &[
    "app_status",
    "set_language",
    "list_categories",
    "first_run_setup",
    "staff_login",
    "logout",
    "proctor_find",
    "proctor_admit",
    "proctor_attempt",
    "proctor_pause",
    "proctor_resume",
    "proctor_extend",
    "proctor_end",
    "exam_status",
    "exam_question",
    "exam_answer",
    "exam_flag",
    "exam_submit",
    "admin_staff",
    "admin_add_proctor",
    "admin_set_disabled",
    "admin_journal",
    "admin_import_bank",
    "admin_import_roster",
    "admin_export_journal",
    "admin_diagnostics",
    "admin_allow_exit",
];
