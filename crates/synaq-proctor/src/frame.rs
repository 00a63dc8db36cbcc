//! A captured frame, its hash, and the small grey picture the checks look at.

use std::fmt;
use std::time::SystemTime;

use image::GrayImage;

/// How a frame's bytes are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PixelFormat {
    /// A JPEG file (a camera's own MJPEG frame, or a fixture).
    Jpeg,
    /// Raw 8-bit RGB, `width × height × 3` bytes, row by row.
    Rgb8,
}

/// One picture from a camera, as the camera gave it.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    /// The encoded picture (see `format`).
    pub bytes: Vec<u8>,
    /// How `bytes` are encoded.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// When it was captured (wall clock; informative only).
    pub captured_at: SystemTime,
}

impl fmt::Debug for Frame {
    // Never dump a face's bytes into a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frame")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.bytes.len())
            .field("hash", &self.hash())
            .finish()
    }
}

/// SHA-256 of a frame's bytes: how a journal incident names the frame it is about.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FrameHash(pub [u8; 32]);

impl FrameHash {
    /// SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> FrameHash {
        let d = ring::digest::digest(&ring::digest::SHA256, bytes);
        FrameHash(d.as_ref().try_into().expect("SHA-256 has 32 bytes"))
    }

    /// Lower-case hex, as written in incidents and files.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 64 hex digits.
    pub fn from_hex(s: &str) -> Option<FrameHash> {
        Some(FrameHash(hex::decode(s).ok()?.try_into().ok()?))
    }
}

impl fmt::Display for FrameHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for FrameHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FrameHash({})", &self.to_hex()[..16])
    }
}

/// A frame whose bytes cannot be read as a picture.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The JPEG is damaged or not a JPEG.
    #[error("the frame is not a readable JPEG: {0}")]
    Decode(String),
    /// Raw RGB bytes do not match the stated width and height.
    #[error("the raw frame has {got} bytes, but {width}×{height} RGB needs {need}")]
    BadSize {
        /// Stated width.
        width: u32,
        /// Stated height.
        height: u32,
        /// Bytes needed.
        need: usize,
        /// Bytes present.
        got: usize,
    },
}

impl Frame {
    /// A JPEG frame; reads the size from the JPEG header without decoding it.
    pub fn from_jpeg(bytes: Vec<u8>, captured_at: SystemTime) -> Result<Frame, FrameError> {
        let (width, height) =
            image::ImageReader::with_format(std::io::Cursor::new(&bytes), image::ImageFormat::Jpeg)
                .into_dimensions()
                .map_err(|e| FrameError::Decode(e.to_string()))?;
        Ok(Frame {
            bytes,
            format: PixelFormat::Jpeg,
            width,
            height,
            captured_at,
        })
    }

    /// A small colour JPEG (at most `max_w` wide) for the proctor's preview on screen. The
    /// preview is never written to disk.
    pub fn preview_jpeg(&self, max_w: u32) -> Result<Vec<u8>, FrameError> {
        let rgb = match self.format {
            PixelFormat::Jpeg => {
                image::load_from_memory_with_format(&self.bytes, image::ImageFormat::Jpeg)
                    .map_err(|e| FrameError::Decode(e.to_string()))?
                    .into_rgb8()
            }
            PixelFormat::Rgb8 => {
                let need = self.width as usize * self.height as usize * 3;
                image::RgbImage::from_raw(self.width, self.height, self.bytes.clone()).ok_or(
                    FrameError::BadSize {
                        width: self.width,
                        height: self.height,
                        need,
                        got: self.bytes.len(),
                    },
                )?
            }
        };
        let rgb = if rgb.width() > max_w {
            let h = (u64::from(rgb.height()) * u64::from(max_w) / u64::from(rgb.width())).max(1);
            image::imageops::thumbnail(&rgb, max_w, h as u32)
        } else {
            rgb
        };
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&rgb)
            .map_err(|e| FrameError::Decode(e.to_string()))?;
        Ok(out)
    }

    /// SHA-256 of the frame's bytes.
    pub fn hash(&self) -> FrameHash {
        FrameHash::of(&self.bytes)
    }

    /// Decodes to grey and shrinks to fit in `max_w × max_h` (area averaging), keeping the
    /// aspect ratio. The checks work on this small picture only.
    pub fn gray_thumbnail(&self, max_w: u32, max_h: u32) -> Result<GrayImage, FrameError> {
        let gray = match self.format {
            PixelFormat::Jpeg => {
                image::load_from_memory_with_format(&self.bytes, image::ImageFormat::Jpeg)
                    .map_err(|e| FrameError::Decode(e.to_string()))?
                    .into_luma8()
            }
            PixelFormat::Rgb8 => {
                let need = self.width as usize * self.height as usize * 3;
                if self.bytes.len() != need {
                    return Err(FrameError::BadSize {
                        width: self.width,
                        height: self.height,
                        need,
                        got: self.bytes.len(),
                    });
                }
                // Rec. 601 luma, integer weights.
                let luma = self
                    .bytes
                    .chunks_exact(3)
                    .map(|p| {
                        ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8)
                            as u8
                    })
                    .collect();
                GrayImage::from_raw(self.width, self.height, luma).expect("size checked above")
            }
        };
        let (w, h) = gray.dimensions();
        if w <= max_w && h <= max_h {
            return Ok(gray);
        }
        let k = (f64::from(max_w) / f64::from(w)).min(f64::from(max_h) / f64::from(h));
        let tw = ((f64::from(w) * k).round() as u32).max(1);
        let th = ((f64::from(h) * k).round() as u32).max(1);
        Ok(image::imageops::thumbnail(&gray, tw, th))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb_frames_shrink_to_fit() {
        let f = Frame {
            bytes: vec![200; 640 * 480 * 3],
            format: PixelFormat::Rgb8,
            width: 640,
            height: 480,
            captured_at: SystemTime::now(),
        };
        let g = f.gray_thumbnail(320, 240).unwrap();
        assert_eq!(g.dimensions(), (320, 240));
        assert!(g.pixels().all(|p| p.0[0] == 199 || p.0[0] == 200));
    }

    #[test]
    fn a_short_raw_frame_is_refused() {
        let f = Frame {
            bytes: vec![0; 10],
            format: PixelFormat::Rgb8,
            width: 4,
            height: 4,
            captured_at: SystemTime::now(),
        };
        assert!(matches!(
            f.gray_thumbnail(2, 2),
            Err(FrameError::BadSize { need: 48, .. })
        ));
    }

    #[test]
    fn debug_never_prints_the_picture() {
        let f = Frame::from_jpeg(
            crate::synth::jpeg(&crate::synth::room(64, 48, 1), 80),
            SystemTime::now(),
        )
        .unwrap();
        assert_eq!((f.width, f.height), (64, 48));
        let s = format!("{f:?}");
        assert!(s.contains("bytes") && s.len() < 200, "{s}");
    }
}
