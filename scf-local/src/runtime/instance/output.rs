//! An instance's stdout and stderr: read continuously into one bounded log buffer, which each
//! invocation takes when it ends.
//!
//! The buffer keeps the newest `limit` bytes; older output is dropped and the log then starts
//! with a marker line saying how much. Output written between two invocations lands in the
//! next one's log, and the init output in the first invocation's. When an invocation ends, the
//! pipes are drained before its log is taken, so what the process wrote before pushing its
//! result is in that log.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::net::unix::pipe::Receiver;
use tokio::task::JoinHandle;

/// Bytes read from a pipe per system call.
const CHUNK: usize = 16 * 1024;

/// Reads done per lock hold by a reader task, so a chatty process cannot starve the taker.
const READS_PER_TURN: usize = 16;

/// The newest `limit` bytes of output.
struct LogBuffer {
    bytes: VecDeque<u8>,
    limit: usize,
    dropped: u64,
}

impl LogBuffer {
    fn push(&mut self, chunk: &[u8]) {
        let cut = chunk.len().saturating_sub(self.limit);
        let chunk = &chunk[cut..];
        let over = (self.bytes.len() + chunk.len()).saturating_sub(self.limit);
        let from_chunk = over.saturating_sub(self.bytes.len());
        self.bytes.drain(..over.min(self.bytes.len()));
        self.bytes.extend(&chunk[from_chunk..]);
        self.dropped += (cut + over) as u64;
    }

    fn take(&mut self) -> String {
        let bytes = self.bytes.make_contiguous();
        let mut log = String::new();
        let mut start = 0;
        if self.dropped > 0 {
            log = format!(
                "[scf-local: {} earlier bytes of output dropped]\n",
                self.dropped
            );
            // Do not start inside a UTF-8 sequence cut by the drop.
            while start < bytes.len().min(3) && bytes[start] & 0xC0 == 0x80 {
                start += 1;
            }
        }
        log.push_str(&String::from_utf8_lossy(&bytes[start..]));
        self.bytes.clear();
        self.dropped = 0;
        log
    }
}

/// The output of one process: its pipes and the buffer they are read into.
pub(crate) struct Output {
    log: Mutex<LogBuffer>,
    pipes: Vec<Receiver>,
}

/// What one drain turn found.
enum Turn {
    /// The pipe has no more data for now.
    Empty,
    /// The reads of this turn were used up; more may be waiting.
    More,
    /// End of file or an error: the pipe is done.
    Closed,
}

impl Output {
    /// The output of a process whose stdout and stderr are `pipes`; one reader task per pipe,
    /// ended with the returned handles (they also end by themselves at end of file).
    pub(crate) fn start(pipes: Vec<Receiver>, limit: usize) -> (Arc<Output>, Vec<JoinHandle<()>>) {
        let count = pipes.len();
        let output = Arc::new(Output {
            log: Mutex::new(LogBuffer {
                bytes: VecDeque::new(),
                limit,
                dropped: 0,
            }),
            pipes,
        });
        let readers = (0..count)
            .map(|index| tokio::spawn(Arc::clone(&output).read(index)))
            .collect();
        (output, readers)
    }

    async fn read(self: Arc<Self>, index: usize) {
        let mut buf = vec![0; CHUNK];
        loop {
            if self.pipes[index].readable().await.is_err() {
                return;
            }
            match self.turn(index, &mut buf, READS_PER_TURN) {
                Turn::Closed => return,
                Turn::More => tokio::task::yield_now().await,
                Turn::Empty => {}
            }
        }
    }

    /// Reads what is waiting in one pipe (at most `reads` reads) into the buffer, holding the
    /// lock so that chunks keep their order.
    fn turn(&self, index: usize, buf: &mut [u8], reads: usize) -> Turn {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        for _ in 0..reads {
            match self.pipes[index].try_read(buf) {
                Ok(0) => return Turn::Closed,
                Ok(n) => log.push(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Turn::Empty,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Turn::Closed,
            }
        }
        Turn::More
    }

    /// Takes the log so far, after reading what is already waiting in the pipes (bounded: a
    /// process writing without pause cannot keep this from returning).
    pub(crate) fn take(&self) -> String {
        let mut buf = vec![0; CHUNK];
        let reads = (self.limit() / CHUNK).clamp(4, 1024);
        for index in 0..self.pipes.len() {
            let _ = self.turn(index, &mut buf, reads);
        }
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    fn limit(&self) -> usize {
        self.log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buffer(limit: usize) -> LogBuffer {
        LogBuffer {
            bytes: VecDeque::new(),
            limit,
            dropped: 0,
        }
    }

    #[test]
    fn log_buffer_keeps_the_newest_bytes() {
        let mut log = buffer(8);
        log.push(b"hello ");
        assert_eq!(log.take(), "hello ");
        log.push(b"abcdef");
        log.push(b"ghij");
        assert_eq!(
            log.take(),
            "[scf-local: 2 earlier bytes of output dropped]\ncdefghij"
        );
        log.push(b"0123456789abcdef");
        assert_eq!(
            log.take(),
            "[scf-local: 8 earlier bytes of output dropped]\n89abcdef"
        );
        assert_eq!(log.take(), "");
    }

    #[test]
    fn log_buffer_does_not_start_inside_a_character() {
        let mut log = buffer(4);
        log.push("aé€".as_bytes()); // 1 + 2 + 3 bytes: the cut falls inside 'é'
        assert_eq!(
            log.take(),
            "[scf-local: 2 earlier bytes of output dropped]\n€"
        );
    }
}
