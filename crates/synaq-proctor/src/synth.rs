//! Synthetic webcam frames for fixtures, tests and the demo: a drawn room with zero, one or two
//! drawn people, a covered lens, a dark room. No real person's face is ever in the fixtures.
//!
//! The drawings are deliberately simple (ellipses and shading); whether the face detector finds
//! them is measured, not assumed (see the crate's tests and the README hit-rate table).

use image::{GrayImage, Rgb, RgbImage};

/// A small deterministic generator (xorshift), so the fixtures rebuild byte for byte.
#[derive(Debug, Clone)]
pub struct Noise(u32);

impl Noise {
    /// A generator from a non-zero seed.
    pub fn new(seed: u32) -> Noise {
        Noise(seed.max(1))
    }

    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    /// A value in `-amp..=amp`.
    pub fn jitter(&mut self, amp: i32) -> i32 {
        if amp == 0 {
            return 0;
        }
        (self.next() % (2 * amp as u32 + 1)) as i32 - amp
    }
}

/// Where a drawn person sits and how big the head is (pixels).
#[derive(Debug, Clone, Copy)]
pub struct Person {
    /// Head centre, x.
    pub cx: f32,
    /// Head centre, y.
    pub cy: f32,
    /// Head half-width; the head is 1.3× as tall.
    pub r: f32,
    /// Skin tone (RGB).
    pub skin: [u8; 3],
}

fn blend(img: &mut RgbImage, x: i32, y: i32, c: [f32; 3], a: f32) {
    if x < 0 || y < 0 || x >= img.width() as i32 || y >= img.height() as i32 {
        return;
    }
    let p = img.get_pixel_mut(x as u32, y as u32);
    for (ch, ci) in p.0.iter_mut().zip(c) {
        *ch = (f32::from(*ch) * (1.0 - a) + ci * a).clamp(0.0, 255.0) as u8;
    }
}

/// Fills an ellipse, with colour from `shade(nx, ny)` where (nx, ny) are in -1..1.
fn ellipse(
    img: &mut RgbImage,
    cx: f32,
    cy: f32,
    rx: f32,
    ry: f32,
    shade: &dyn Fn(f32, f32) -> [f32; 3],
) {
    let (x0, x1) = ((cx - rx).floor() as i32, (cx + rx).ceil() as i32);
    let (y0, y1) = ((cy - ry).floor() as i32, (cy + ry).ceil() as i32);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let nx = (x as f32 + 0.5 - cx) / rx;
            let ny = (y as f32 + 0.5 - cy) / ry;
            let d = nx * nx + ny * ny;
            if d <= 1.0 {
                // Soft edge over the outer 8 %.
                let a = ((1.0 - d) / 0.08).min(1.0);
                blend(img, x, y, shade(nx, ny), a);
            }
        }
    }
}

fn scale(c: [u8; 3], k: f32) -> [f32; 3] {
    [
        f32::from(c[0]) * k,
        f32::from(c[1]) * k,
        f32::from(c[2]) * k,
    ]
}

/// An empty room: a lit wall with a gradient, a door frame and a desk edge.
pub fn room(w: u32, h: u32, seed: u32) -> RgbImage {
    let mut n = Noise::new(seed);
    let mut img = RgbImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let g = 150.0 + 40.0 * (x as f32 / w as f32) - 30.0 * (y as f32 / h as f32);
        let mut c = [g + 8.0, g + 4.0, g - 6.0];
        // A door frame on the right, a desk at the bottom.
        if x > w * 3 / 4 && x < w * 3 / 4 + w / 40 {
            c = [110.0, 90.0, 70.0];
        }
        if y > h * 7 / 8 {
            c = [120.0, 95.0, 70.0];
        }
        let j = n.jitter(3) as f32;
        *p = Rgb([
            (c[0] + j).clamp(0.0, 255.0) as u8,
            (c[1] + j).clamp(0.0, 255.0) as u8,
            (c[2] + j).clamp(0.0, 255.0) as u8,
        ]);
    }
    img
}

/// Draws a person (shoulders, neck, hair, a shaded face with brows, eyes, nose and mouth).
pub fn draw_person(img: &mut RgbImage, p: Person) {
    let Person { cx, cy, r, skin } = p;
    let ry = r * 1.3;
    // Shoulders and shirt.
    ellipse(img, cx, cy + ry * 2.3, r * 2.4, ry * 1.3, &|_, ny| {
        scale([60, 70, 95], 1.0 - 0.2 * ny)
    });
    // Neck.
    ellipse(img, cx, cy + ry * 0.95, r * 0.45, ry * 0.5, &|nx, _| {
        scale(skin, 0.75 - 0.1 * nx.abs())
    });
    // Hair behind the head.
    ellipse(img, cx, cy - ry * 0.12, r * 1.08, ry * 0.98, &|_, _| {
        [45.0, 32.0, 25.0]
    });
    // Face: lit from the front, darker towards the edges.
    ellipse(img, cx, cy + ry * 0.05, r, ry * 0.95, &|nx, ny| {
        let k = 1.0 - 0.35 * (nx * nx + 0.5 * ny * ny);
        scale(skin, k)
    });
    // Hairline over the forehead.
    ellipse(img, cx, cy - ry * 0.78, r * 0.95, ry * 0.3, &|_, _| {
        [45.0, 32.0, 25.0]
    });
    let eye_y = cy - ry * 0.12;
    for side in [-1.0f32, 1.0] {
        let ex = cx + side * r * 0.42;
        // Eye socket shadow, brow, white, iris.
        ellipse(img, ex, eye_y, r * 0.3, ry * 0.14, &|_, _| scale(skin, 0.7));
        ellipse(img, ex, eye_y - ry * 0.19, r * 0.3, ry * 0.05, &|_, _| {
            [50.0, 35.0, 28.0]
        });
        ellipse(img, ex, eye_y, r * 0.2, ry * 0.075, &|_, _| {
            [225.0, 220.0, 215.0]
        });
        ellipse(img, ex, eye_y, r * 0.09, ry * 0.075, &|_, _| {
            [40.0, 30.0, 25.0]
        });
    }
    // Nose: a shadow along one side and under the tip.
    ellipse(
        img,
        cx + r * 0.06,
        cy + ry * 0.12,
        r * 0.07,
        ry * 0.2,
        &|_, _| scale(skin, 0.8),
    );
    ellipse(img, cx, cy + ry * 0.3, r * 0.18, ry * 0.05, &|_, _| {
        scale(skin, 0.65)
    });
    // Mouth.
    ellipse(img, cx, cy + ry * 0.52, r * 0.34, ry * 0.06, &|_, _| {
        [130.0, 60.0, 60.0]
    });
}

/// A room with the given people in it.
pub fn scene(w: u32, h: u32, seed: u32, people: &[Person]) -> RgbImage {
    let mut img = room(w, h, seed);
    for p in people {
        draw_person(&mut img, *p);
    }
    img
}

/// A lens covered by a finger or tape: nearly uniform, dim, with a little sensor noise.
pub fn covered(w: u32, h: u32, seed: u32, level: u8) -> RgbImage {
    let mut n = Noise::new(seed);
    RgbImage::from_fn(w, h, |x, y| {
        let v = (i32::from(level) + n.jitter(2) + ((x + y) % 7) as i32 / 3).clamp(0, 255) as u8;
        Rgb([v.saturating_add(6), v, v])
    })
}

/// A scene with its brightness multiplied by `k` (a dark room: `k` ≈ 0.1).
pub fn darken(img: &RgbImage, k: f32) -> RgbImage {
    RgbImage::from_fn(img.width(), img.height(), |x, y| {
        let p = img.get_pixel(x, y).0;
        Rgb(p.map(|c| (f32::from(c) * k) as u8))
    })
}

/// The grey version of an image (for checks on drawn frames without a JPEG round trip).
pub fn to_gray(img: &RgbImage) -> GrayImage {
    image::DynamicImage::ImageRgb8(img.clone()).to_luma8()
}

/// Encodes as JPEG at `quality`.
pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("encoding to memory does not fail");
    out
}
