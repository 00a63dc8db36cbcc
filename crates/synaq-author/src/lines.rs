//! Byte offsets to line numbers.

/// The start of every line of a text, to turn byte offsets into 1-based line numbers.
#[derive(Debug, Clone)]
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_to_lines() {
        let l = Lines::new("ab\ncd\n\ne");
        assert_eq!(l.line(0), 1);
        assert_eq!(l.line(2), 1);
        assert_eq!(l.line(3), 2);
        assert_eq!(l.line(6), 3);
        assert_eq!(l.line(7), 4);
        assert_eq!(l.line(100), 4);
    }
}
