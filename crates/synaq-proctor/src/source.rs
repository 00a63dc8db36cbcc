//! Where frames come from: the [`FrameSource`] trait, fixture files and a failing source.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::frame::Frame;

/// Why no frame could be had. The message tells the operator what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CameraError {
    /// No camera is connected (or none is visible to this user).
    #[error("no camera: connect a webcam and check that the kiosk user may use /dev/video*")]
    NoCamera,
    /// The camera was there and stopped answering (unplugged, driver reset).
    #[error("the camera was lost: {0}; check its cable")]
    Lost(String),
    /// The camera exists but could not be opened or started.
    #[error("the camera could not be opened: {0}")]
    Open(String),
    /// The camera gives a pixel format Synaq cannot read.
    #[error("the camera's picture format is not supported: {0}; choose another mode in the admin settings")]
    Unsupported(String),
    /// A fixture directory or file could not be read.
    #[error("fixture frames at {path}: {reason}")]
    Fixture {
        /// The file or directory.
        path: String,
        /// What went wrong.
        reason: String,
    },
}

/// Anything that gives frames one at a time. Called from the capture thread only.
pub trait FrameSource {
    /// The next frame, blocking until the device gives one.
    fn next_frame(&mut self) -> Result<Frame, CameraError>;
}

impl<S: FrameSource + ?Sized> FrameSource for Box<S> {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        (**self).next_frame()
    }
}

/// Replays JPEG files (for tests and the demo), looping at the end.
#[derive(Debug, Clone)]
pub struct FixtureSource {
    frames: Vec<(PathBuf, Vec<u8>)>,
    next: usize,
}

impl FixtureSource {
    /// Every `*.jpg` in `dir` whose name starts with `prefix` (`""` for all), by name.
    pub fn open(dir: &Path, prefix: &str) -> Result<FixtureSource, CameraError> {
        let bad = |reason: String| CameraError::Fixture {
            path: dir.display().to_string(),
            reason,
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| bad(e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "jpg")
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(prefix))
            })
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(bad(format!("no {prefix}*.jpg files")));
        }
        FixtureSource::from_files(&paths)
    }

    /// These files, in this order.
    pub fn from_files(paths: &[PathBuf]) -> Result<FixtureSource, CameraError> {
        let frames = paths
            .iter()
            .map(|p| {
                std::fs::read(p)
                    .map(|b| (p.clone(), b))
                    .map_err(|e| CameraError::Fixture {
                        path: p.display().to_string(),
                        reason: e.to_string(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(FixtureSource { frames, next: 0 })
    }

    /// How many distinct files are replayed.
    pub fn len(&self) -> usize {
        self.frames.len()
    }

    /// Whether there are no files (never true for a source that opened).
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
}

impl FrameSource for FixtureSource {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        let (path, bytes) = &self.frames[self.next % self.frames.len()];
        self.next += 1;
        Frame::from_jpeg(bytes.clone(), SystemTime::now()).map_err(|e| CameraError::Fixture {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    }
}

/// Wraps a source and loses the device after `frames_before_loss` frames: every later call
/// fails with [`CameraError::Lost`], as an unplugged USB camera does.
#[derive(Debug)]
pub struct FailingSource<S> {
    inner: S,
    left: usize,
}

impl<S: FrameSource> FailingSource<S> {
    /// `inner` gives `frames_before_loss` frames, then the device is gone.
    pub fn new(inner: S, frames_before_loss: usize) -> FailingSource<S> {
        FailingSource {
            inner,
            left: frames_before_loss,
        }
    }
}

impl<S: FrameSource> FrameSource for FailingSource<S> {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        if self.left == 0 {
            return Err(CameraError::Lost("device disconnected (simulated)".into()));
        }
        self.left -= 1;
        self.inner.next_frame()
    }
}
