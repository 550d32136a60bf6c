//! The `tasnif` command: a thin shell over the library. It owns flags, files, output
//! formats and exit codes: 0 on success, 2 on any error (one message on standard
//! error naming the file, the line and what to do).

use std::io::Write;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    match cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                // The reader went away (`tasnif classify ... | head`): stop quietly.
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr().lock(), "tasnif: error: {}", message(&err));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes joined by ": ", each said once: a cause whose text the
/// message already ends with (an error that displays its own source) is left out.
fn message(err: &anyhow::Error) -> String {
    let mut msg = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !msg.ends_with(&cause) {
            msg.push_str(": ");
            msg.push_str(&cause);
        }
    }
    msg
}
