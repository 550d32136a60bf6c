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
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "tasnif: error: {err}");
            for cause in err.chain().skip(1) {
                let _ = write!(stderr, ": {cause}");
            }
            let _ = writeln!(stderr);
            ExitCode::from(2)
        }
    }
}
