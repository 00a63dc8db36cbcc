//! The real webcam through nokhwa's v4l2 backend (feature `camera`).
//!
//! The camera's own MJPEG bytes are kept as they come (no re-encoding); YUYV, RGB and grey
//! modes are converted to RGB. nokhwa's `Camera` is not `Send`: open it on the thread that
//! uses it (the capture thread takes an opener closure for that reason).

use std::time::SystemTime;

use nokhwa::utils::{ApiBackend, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType};
use nokhwa::Camera;

use crate::frame::{Frame, PixelFormat};
use crate::source::{CameraError, FrameSource};

/// A webcam, opened through v4l2.
pub struct NokhwaSource {
    camera: Camera,
}

impl std::fmt::Debug for NokhwaSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NokhwaSource")
            .field("index", self.camera.index())
            .finish()
    }
}

/// The cameras v4l2 can see, as (index, human name). Empty on a machine without one.
pub fn list_cameras() -> Vec<(u32, String)> {
    nokhwa::query(ApiBackend::Video4Linux)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|i| match i.index() {
            CameraIndex::Index(n) => Some((*n, i.human_name())),
            CameraIndex::String(_) => None,
        })
        .collect()
}

impl NokhwaSource {
    /// Opens camera `index` (`/dev/videoN`, chosen in the admin settings) and starts its stream,
    /// preferring MJPEG at the camera's highest frame rate. [`CameraError::NoCamera`] when the
    /// device does not exist.
    pub fn open(index: u32) -> Result<NokhwaSource, CameraError> {
        if !std::path::Path::new(&format!("/dev/video{index}")).exists()
            && !list_cameras().iter().any(|(i, _)| *i == index)
        {
            return Err(CameraError::NoCamera);
        }
        let wanted = [
            FrameFormat::MJPEG,
            FrameFormat::YUYV,
            FrameFormat::RAWRGB,
            FrameFormat::GRAY,
        ];
        let format =
            RequestedFormat::with_formats(RequestedFormatType::AbsoluteHighestFrameRate, &wanted);
        let mut camera =
            Camera::with_backend(CameraIndex::Index(index), format, ApiBackend::Video4Linux)
                .map_err(|e| CameraError::Open(e.to_string()))?;
        camera
            .open_stream()
            .map_err(|e| CameraError::Open(e.to_string()))?;
        Ok(NokhwaSource { camera })
    }
}

fn yuyv_to_rgb(src: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len() / 2 * 3);
    for q in src.chunks_exact(4) {
        let (u, v) = (i32::from(q[1]) - 128, i32::from(q[3]) - 128);
        for y in [q[0], q[2]] {
            let c = (i32::from(y) - 16).max(0) * 298;
            let px = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
            out.push(px(c + 409 * v));
            out.push(px(c - 100 * u - 208 * v));
            out.push(px(c + 516 * u));
        }
    }
    out
}

impl FrameSource for NokhwaSource {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        let buf = self
            .camera
            .frame()
            .map_err(|e| CameraError::Lost(e.to_string()))?;
        let res = buf.resolution();
        let (width, height) = (res.width(), res.height());
        let captured_at = SystemTime::now();
        let raw = buf.buffer();
        let rgb = match buf.source_frame_format() {
            FrameFormat::MJPEG => {
                return Ok(Frame {
                    bytes: raw.to_vec(),
                    format: PixelFormat::Jpeg,
                    width,
                    height,
                    captured_at,
                })
            }
            FrameFormat::YUYV => yuyv_to_rgb(raw),
            FrameFormat::RAWRGB => raw.to_vec(),
            FrameFormat::GRAY => raw.iter().flat_map(|&g| [g, g, g]).collect(),
            other => return Err(CameraError::Unsupported(other.to_string())),
        };
        Ok(Frame {
            bytes: rgb,
            format: PixelFormat::Rgb8,
            width,
            height,
            captured_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyv_grey_stays_grey() {
        let rgb = yuyv_to_rgb(&[126, 128, 126, 128]);
        assert_eq!(rgb.len(), 6);
        assert!(rgb.iter().all(|&c| (128..=130).contains(&c)), "{rgb:?}");
    }
}
