//! Attacks on certification; the tests are in `tests/attacks.rs`.
#![forbid(unsafe_code)]
