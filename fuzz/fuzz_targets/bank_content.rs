//! The parser behind the signature: bytes taken as a decrypted payload go through the content
//! container, the question shards (JSON, `Question::validate`) and the exam profile (TOML).
//! Random files never get this far through `bank_open` (they fail the signature), so this target
//! feeds the parser directly. It must return an error or a bank, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use synaq_seal::bank;

fuzz_target!(|data: &[u8]| {
    if let Ok((content, profile)) = bank::parse_decrypted_for_fuzzing(data) {
        // Whatever parses is a usable bank: every question valid, the profile checked.
        assert!(!content.questions.is_empty());
        assert!(!profile.categories.is_empty());
        for q in &content.questions {
            assert!(q.validate().is_ok());
        }
    }
});
