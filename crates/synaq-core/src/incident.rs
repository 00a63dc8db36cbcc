//! Incidents of an exam: what a proctor may report (a reason from the list) and what the
//! camera checks flag. One list for the kiosk, the UI (exported through the generated
//! bindings), central and the tests.

use serde::{Deserialize, Serialize};

macro_rules! incidents {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal,)*) => {
        /// One kind of incident. Its code is stable: it is journalled, signed into the result
        /// and names the Fluent message `incident-<code>`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(rename_all = "kebab-case")]
        pub enum Incident {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Incident {
            /// Every incident kind.
            pub const ALL: &'static [Incident] = &[$(Incident::$variant,)*];

            /// The stable code.
            pub fn code(self) -> &'static str {
                match self {
                    $(Incident::$variant => $code,)*
                }
            }

            /// The incident with this code.
            pub fn parse(code: &str) -> Option<Incident> {
                match code {
                    $($code => Some(Incident::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

incidents! {
    /// The proctor doubts the examinee is the person on the roster.
    IdentityDoubt => "identity-doubt",
    /// A phone or notes were seen.
    PhoneOrNotes => "phone-or-notes",
    /// The examinee talked to someone.
    Talking => "talking",
    /// The examinee left the seat.
    LeftSeat => "left-seat",
    /// The kiosk or its surroundings failed.
    TechnicalFault => "technical-fault",
    /// The examinee felt unwell.
    Health => "health",
    /// Anything else (the note says what).
    Other => "other",
    /// The kiosk has no camera: the exam runs without frames.
    NoCamera => "no-camera",
    /// No face in the frame.
    CameraNoFace => "camera-no-face",
    /// More than one face in the frame.
    CameraSeveralFaces => "camera-several-faces",
    /// The camera is covered or the picture dark.
    CameraCovered => "camera-covered",
    /// The picture does not change.
    CameraFrozen => "camera-frozen",
    /// The camera stopped delivering frames.
    CameraLost => "camera-lost",
}

impl Incident {
    /// The reasons a proctor may give for a pause, a resume, extra time or ending the exam.
    pub const PROCTOR_REASONS: [Incident; 7] = [
        Incident::IdentityDoubt,
        Incident::PhoneOrNotes,
        Incident::Talking,
        Incident::LeftSeat,
        Incident::TechnicalFault,
        Incident::Health,
        Incident::Other,
    ];

    /// Whether a proctor may give this as a reason.
    pub fn is_proctor_reason(self) -> bool {
        Incident::PROCTOR_REASONS.contains(&self)
    }

    /// The Fluent message that names it.
    pub fn message_id(self) -> String {
        format!("incident-{}", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serialize_as_themselves() {
        for &i in Incident::ALL {
            assert_eq!(Incident::parse(i.code()), Some(i));
            assert_eq!(
                serde_json::to_string(&i).unwrap(),
                format!("\"{}\"", i.code())
            );
        }
        assert_eq!(Incident::parse("because"), None);
        assert!(Incident::Talking.is_proctor_reason());
        assert!(!Incident::CameraLost.is_proctor_reason());
    }
}
