//! Line endings of imported files: CRLF (Windows) and a lone CR (classic Mac OS,
//! some spreadsheet exports) are read as LF, so the CSV and JSON Lines readers
//! count lines — and errors name them — the same whatever wrote the file. A CR
//! inside a quoted CSV field becomes LF too: text fields allow line feeds, never
//! carriage returns.

use std::io::{self, Read};

/// A reader that turns CRLF and lone CR into LF.
pub(crate) struct Lf<R> {
    inner: R,
    /// The last byte read was a CR (already given out as LF): a following LF is
    /// its pair and is dropped.
    after_cr: bool,
}

impl<R> Lf<R> {
    pub(crate) fn new(inner: R) -> Self {
        Self { inner, after_cr: false }
    }
}

impl<R: Read> Read for Lf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            // Compact in place: `kept` never passes the byte being read.
            let mut kept = 0;
            for i in 0..n {
                let Some(&byte) = buf.get(i) else { break };
                let out = match byte {
                    b'\r' => {
                        self.after_cr = true;
                        b'\n'
                    }
                    b'\n' if self.after_cr => {
                        self.after_cr = false;
                        continue;
                    }
                    other => {
                        self.after_cr = false;
                        other
                    }
                };
                if let Some(slot) = buf.get_mut(kept) {
                    *slot = out;
                }
                kept += 1;
            }
            // A chunk holding only the LF of a CRLF split across reads: read on
            // rather than return 0, which would mean the end of the file.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `input` through `Lf`, `chunk` bytes at a time.
    fn convert(input: &[u8], chunk: usize) -> Vec<u8> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = Vec::new();
        Lf::new(Chunks(input, chunk)).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn every_line_ending_becomes_lf_whatever_the_chunks() {
        let cases: [(&[u8], &[u8]); 5] = [
            (b"a\r\nb\r\n", b"a\nb\n"),
            (b"a\rb\r", b"a\nb\n"),
            (b"a\nb", b"a\nb"),
            (b"a\r\r\nb\n\r", b"a\n\nb\n\n"),
            ("Đại Lộc\r\n\"x\r\ny\"".as_bytes(), "Đại Lộc\n\"x\ny\"".as_bytes()),
        ];
        for (input, want) in cases {
            for chunk in [1, 2, 3, 64] {
                assert_eq!(convert(input, chunk), want, "{input:?} in chunks of {chunk}");
            }
        }
    }
}
