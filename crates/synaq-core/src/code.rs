//! Codes that reach a person: a stable id (a Fluent message in `assets/i18n/`) with the
//! values the message needs. An error is turned into a [`Code`] where it is raised, so its
//! arguments travel with it across the IPC and HTTP edges and are formatted only there, in the
//! person's language.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One argument of a [`Code`]: a number (Fluent chooses plural forms by it) or text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// A whole number.
    Int(i64),
    /// Text, shown as it is.
    Text(String),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(v)
    }
}

impl From<u64> for Arg {
    fn from(v: u64) -> Arg {
        Arg::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<usize> for Arg {
    fn from(v: usize) -> Arg {
        Arg::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<u32> for Arg {
    fn from(v: u32) -> Arg {
        Arg::Int(i64::from(v))
    }
}

impl From<u8> for Arg {
    fn from(v: u8) -> Arg {
        Arg::Int(i64::from(v))
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_owned())
    }
}

/// A message id with its arguments, not yet translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    /// The stable id: a Fluent message id.
    pub code: Cow<'static, str>,
    /// The message's arguments by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, Arg>,
}

impl Code {
    /// A code without arguments.
    pub fn new(code: impl Into<Cow<'static, str>>) -> Code {
        Code {
            code: code.into(),
            args: BTreeMap::new(),
        }
    }

    /// The same code with one more argument.
    #[must_use]
    pub fn arg(mut self, name: &str, value: impl Into<Arg>) -> Code {
        self.args.insert(name.to_owned(), value.into());
        self
    }

    /// The id as text.
    pub fn id(&self) -> &str {
        &self.code
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code)?;
        for (k, v) in &self.args {
            match v {
                Arg::Int(n) => write!(f, " {k}={n}")?,
                Arg::Text(t) => write!(f, " {k}={t:?}")?,
            }
        }
        Ok(())
    }
}

impl From<&'static str> for Code {
    fn from(code: &'static str) -> Code {
        Code::new(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_keeps_its_arguments_and_prints_them() {
        let c = Code::new("id-error-wrong-length").arg("count", 11usize);
        assert_eq!(c.args.get("count"), Some(&Arg::Int(11)));
        assert_eq!(c.to_string(), "id-error-wrong-length count=11");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            r#"{"code":"id-error-wrong-length","args":{"count":11}}"#
        );
        assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), c);
    }
}
