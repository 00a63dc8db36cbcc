//! Languages and text that exists in more than one of them.

use serde::{Deserialize, Serialize};

/// A language a person can choose on the kiosk.
///
/// Kazakh is the state language and comes first; Russian is in official use; English is
/// for operators only (examinees sit the exam in Kazakh or Russian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Қазақша, kk-KZ.
    Kk,
    /// Русский, ru-KZ.
    Ru,
    /// English, for operators.
    En,
}

impl Lang {
    /// Every language, in the order the language choice shows them.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The short code used in file names and IPC (`kk`, `ru`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The BCP 47 tag, with the region where it matters for formatting.
    pub fn bcp47(self) -> &'static str {
        match self {
            Lang::Kk => "kk-KZ",
            Lang::Ru => "ru-KZ",
            Lang::En => "en",
        }
    }

    /// Parses a short code (`kk`, `ru`, `en`).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Text that exists in Kazakh and Russian, and optionally in English for operators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub kk: String,
    pub ru: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    /// The text in `lang`. English falls back to Russian when no English text was written.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => self.en.as_deref().unwrap_or(&self.ru),
        }
    }

    /// The first language whose required text is empty (kk and ru are required).
    pub fn missing_required(&self) -> Option<Lang> {
        if self.kk.trim().is_empty() {
            Some(Lang::Kk)
        } else if self.ru.trim().is_empty() {
            Some(Lang::Ru)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn english_falls_back_to_russian() {
        let t = Text {
            kk: "Сынақ".into(),
            ru: "Испытание".into(),
            en: None,
        };
        assert_eq!(t.get(Lang::En), "Испытание");
        assert_eq!(t.get(Lang::Kk), "Сынақ");
    }

    #[test]
    fn empty_required_text_is_reported() {
        let t = Text {
            kk: " ".into(),
            ru: "x".into(),
            en: None,
        };
        assert_eq!(t.missing_required(), Some(Lang::Kk));
    }
}
