//! On-device checks on each frame: faces (rustface, the SeetaFace frontal model that ships in
//! the rustface crate, BSD-2), a covered or dark lens, a frozen feed; and the lost camera.
//!
//! Checks inform, people decide: a [`Flag`] becomes a journal incident and a badge for the
//! proctor; it never stops an exam.

use image::GrayImage;
use rustface::{Detector, ImageData};
use synaq_core::Incident;

use crate::frame::{Frame, FrameError, FrameHash};

/// The SeetaFace frontal face model, copied from the rustface crate (BSD-2-Clause, see
/// `model/LICENSE-rustface-seetaface`), embedded so the kiosk needs no model file at run time.
static FACE_MODEL: &[u8] = include_bytes!("../model/seeta_fd_frontal_v1.0.bin");

/// What a check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlagKind {
    /// Nobody is in front of the camera.
    NoFace,
    /// More than one face.
    SeveralFaces {
        /// How many faces were found.
        count: usize,
    },
    /// The lens is covered or the room is too dark to see anyone.
    Covered,
    /// The same picture came `repeats` times in a row: the feed is frozen or replayed.
    Frozen {
        /// Identical frames in a row so far.
        repeats: usize,
    },
    /// The camera stopped giving frames.
    Lost,
}

/// One finding about one frame (or about the camera, for [`FlagKind::Lost`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// What was found.
    pub kind: FlagKind,
    /// SHA-256 of the frame it is about; `None` for a lost camera (there is no frame).
    pub frame_hash: Option<FrameHash>,
}

/// The journal incident code for a flag (stable; the UI translates it).
pub fn incident_kind(flag: &Flag) -> &'static str {
    let incident = match flag.kind {
        FlagKind::NoFace => Incident::CameraNoFace,
        FlagKind::SeveralFaces { .. } => Incident::CameraSeveralFaces,
        FlagKind::Covered => Incident::CameraCovered,
        FlagKind::Frozen { .. } => Incident::CameraFrozen,
        FlagKind::Lost => Incident::CameraLost,
    };
    incident.code()
}

/// The incident's note: the frame hash and the detail, for `Engine::incident(by, kind, note)`.
pub fn incident_note(flag: &Flag) -> String {
    let detail = match flag.kind {
        FlagKind::SeveralFaces { count } => format!("faces={count}"),
        FlagKind::Frozen { repeats } => format!("repeats={repeats}"),
        _ => String::new(),
    };
    match (flag.frame_hash, detail.is_empty()) {
        (Some(h), true) => format!("frame={h}"),
        (Some(h), false) => format!("frame={h} {detail}"),
        (None, _) => detail,
    }
}

/// Thresholds. The defaults suit a 640×480 webcam at a desk.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckConfig {
    /// The checks' picture is shrunk to fit this box (pixels).
    pub thumb_width: u32,
    /// See `thumb_width`.
    pub thumb_height: u32,
    /// Smallest face looked for, in thumbnail pixels (≥ 20).
    pub min_face: u32,
    /// Detector score a face must reach.
    pub face_score: f64,
    /// Mean luma (0–255) below which the picture is too dark.
    pub dark_mean: f64,
    /// Luma standard deviation below which the picture is flat (lens covered).
    pub flat_stddev: f64,
    /// Identical frames in a row that make a frozen feed.
    pub frozen_after: usize,
}

impl Default for CheckConfig {
    fn default() -> CheckConfig {
        CheckConfig {
            thumb_width: 320,
            thumb_height: 240,
            min_face: 32,
            face_score: 2.0,
            dark_mean: 35.0,
            flat_stddev: 10.0,
            frozen_after: 3,
        }
    }
}

/// A face the detector found, in thumbnail pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceBox {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Detector score.
    pub score: f64,
}

/// What the checks saw in one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// SHA-256 of the frame.
    pub frame_hash: FrameHash,
    /// Faces found (empty when the lens is covered: the detector is not run then).
    pub faces: Vec<FaceBox>,
    /// Mean luma of the thumbnail.
    pub luma_mean: f64,
    /// Luma standard deviation of the thumbnail.
    pub luma_stddev: f64,
    /// The flags for this frame, in a fixed order (covered, frozen, faces).
    pub flags: Vec<Flag>,
}

/// Runs the checks on frames, remembering the previous frame for the frozen check.
/// Not `Send` (the detector isn't): make it on the thread that uses it.
pub struct Checker {
    config: CheckConfig,
    detector: Box<dyn Detector>,
    last: Option<FrameHash>,
    repeats: usize,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("config", &self.config)
            .field("repeats", &self.repeats)
            .finish()
    }
}

/// Mean and standard deviation of a grey picture's luma.
pub fn luma_stats(img: &GrayImage) -> (f64, f64) {
    let n = img.as_raw().len().max(1) as f64;
    let (mut s, mut s2) = (0u64, 0u64);
    for &v in img.as_raw() {
        s += u64::from(v);
        s2 += u64::from(v) * u64::from(v);
    }
    let mean = s as f64 / n;
    let var = (s2 as f64 / n - mean * mean).max(0.0);
    (mean, var.sqrt())
}

impl Checker {
    /// A checker with the bundled face model.
    pub fn new(config: CheckConfig) -> Checker {
        let model = rustface::read_model(FACE_MODEL).expect("the bundled face model is valid");
        let mut detector = rustface::create_detector_with_model(model);
        detector.set_min_face_size(config.min_face.max(20));
        detector.set_score_thresh(config.face_score);
        detector.set_pyramid_scale_factor(0.8);
        detector.set_slide_window_step(4, 4);
        Checker {
            config,
            detector,
            last: None,
            repeats: 0,
        }
    }

    /// The thresholds in use.
    pub fn config(&self) -> &CheckConfig {
        &self.config
    }

    /// Faces in a grey picture (already shrunk).
    pub fn faces(&mut self, gray: &GrayImage) -> Vec<FaceBox> {
        if gray.width() < 20 || gray.height() < 20 {
            return Vec::new();
        }
        self.detector
            .detect(&ImageData::new(gray.as_raw(), gray.width(), gray.height()))
            .into_iter()
            .map(|f| FaceBox {
                x: f.bbox().x(),
                y: f.bbox().y(),
                width: f.bbox().width(),
                height: f.bbox().height(),
                score: f.score(),
            })
            .collect()
    }

    /// Decodes, shrinks and checks one frame.
    pub fn check(&mut self, frame: &Frame) -> Result<Observation, FrameError> {
        let hash = frame.hash();
        let thumb = frame.gray_thumbnail(self.config.thumb_width, self.config.thumb_height)?;
        Ok(self.check_thumbnail(hash, &thumb))
    }

    /// Checks a frame already shrunk to grey (the bench and tests call this directly).
    pub fn check_thumbnail(&mut self, hash: FrameHash, thumb: &GrayImage) -> Observation {
        let flag = |kind| Flag {
            kind,
            frame_hash: Some(hash),
        };
        let mut flags = Vec::new();
        let (mean, sd) = luma_stats(thumb);
        let covered = mean < self.config.dark_mean || sd < self.config.flat_stddev;
        if covered {
            flags.push(flag(FlagKind::Covered));
        }
        if self.last == Some(hash) {
            self.repeats += 1;
        } else {
            self.last = Some(hash);
            self.repeats = 1;
        }
        if self.repeats >= self.config.frozen_after {
            flags.push(flag(FlagKind::Frozen {
                repeats: self.repeats,
            }));
        }
        // A covered lens already says why nobody is seen; the detector would only add noise.
        let faces = if covered {
            Vec::new()
        } else {
            self.faces(thumb)
        };
        if !covered {
            match faces.len() {
                0 => flags.push(flag(FlagKind::NoFace)),
                1 => {}
                n => flags.push(flag(FlagKind::SeveralFaces { count: n })),
            }
        }
        Observation {
            frame_hash: hash,
            faces,
            luma_mean: mean,
            luma_stddev: sd,
            flags,
        }
    }

    /// The flag for a camera that gave no frame. Forgets the last frame, so a camera that
    /// comes back with the same picture is not called frozen at once.
    pub fn camera_lost(&mut self) -> Flag {
        self.last = None;
        self.repeats = 0;
        Flag {
            kind: FlagKind::Lost,
            frame_hash: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{self, Person};

    fn check_rgb(c: &mut Checker, img: &image::RgbImage, seed: u8) -> Observation {
        let g = synth::to_gray(img);
        let t = image::imageops::thumbnail(&g, 320, 240);
        c.check_thumbnail(FrameHash([seed; 32]), &t)
    }

    const SKIN: [u8; 3] = [210, 160, 125];

    #[test]
    fn a_drawn_face_is_found_and_an_empty_room_is_not() {
        let mut c = Checker::new(CheckConfig::default());
        let one = synth::scene(
            640,
            480,
            3,
            &[Person {
                cx: 320.0,
                cy: 220.0,
                r: 55.0,
                skin: SKIN,
            }],
        );
        let o = check_rgb(&mut c, &one, 1);
        assert_eq!(o.faces.len(), 1, "{o:?}");
        assert!(o.flags.is_empty(), "{o:?}");
        let empty = synth::room(640, 480, 4);
        let o = check_rgb(&mut c, &empty, 2);
        assert_eq!(o.flags.len(), 1);
        assert_eq!(incident_kind(&o.flags[0]), "camera-no-face");
    }

    #[test]
    fn a_flat_or_dark_picture_is_covered_and_not_searched() {
        let mut c = Checker::new(CheckConfig::default());
        let o = check_rgb(&mut c, &synth::covered(640, 480, 5, 70), 1);
        assert_eq!(
            o.flags.iter().map(incident_kind).collect::<Vec<_>>(),
            ["camera-covered"]
        );
        assert!(o.luma_stddev < 10.0, "{o:?}");
        let room = synth::scene(
            640,
            480,
            3,
            &[Person {
                cx: 320.0,
                cy: 220.0,
                r: 55.0,
                skin: SKIN,
            }],
        );
        let o = check_rgb(&mut c, &synth::darken(&room, 0.08), 2);
        assert_eq!(
            o.flags.iter().map(incident_kind).collect::<Vec<_>>(),
            ["camera-covered"]
        );
        assert!(o.luma_mean < 35.0, "{o:?}");
    }

    #[test]
    fn the_same_frame_three_times_is_frozen_and_a_loss_resets() {
        let mut c = Checker::new(CheckConfig::default());
        let img = synth::room(320, 240, 9);
        let kinds = |o: &Observation| o.flags.iter().map(incident_kind).collect::<Vec<_>>();
        assert_eq!(kinds(&check_rgb(&mut c, &img, 1)), ["camera-no-face"]);
        assert_eq!(kinds(&check_rgb(&mut c, &img, 1)), ["camera-no-face"]);
        let o = check_rgb(&mut c, &img, 1);
        assert_eq!(kinds(&o), ["camera-frozen", "camera-no-face"]);
        assert_eq!(o.flags[0].kind, FlagKind::Frozen { repeats: 3 });
        assert_eq!(incident_kind(&c.camera_lost()), "camera-lost");
        assert_eq!(kinds(&check_rgb(&mut c, &img, 1)), ["camera-no-face"]);
    }

    #[test]
    fn incident_notes_carry_the_frame_hash() {
        let f = Flag {
            kind: FlagKind::SeveralFaces { count: 2 },
            frame_hash: Some(FrameHash([0xab; 32])),
        };
        assert_eq!(
            incident_note(&f),
            format!("frame={} faces=2", "ab".repeat(32))
        );
        let lost = Flag {
            kind: FlagKind::Lost,
            frame_hash: None,
        };
        assert_eq!(incident_note(&lost), "");
    }
}
