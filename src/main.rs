//! The `parlor` executable: parse the command line, hand over to the library.

use clap::Parser;

fn main() {
    let cli = parlor::config::Cli::parse();
    if let Err(err) = parlor::cli::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}
