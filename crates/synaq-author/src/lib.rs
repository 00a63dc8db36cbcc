//! Question-bank sources and importers (being written).
#![forbid(unsafe_code)]
