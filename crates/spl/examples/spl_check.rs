//! Prints the expanded text and canonical form of a search given on stdin, or its diagnostic.

use std::io::Read;

fn main() {
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        eprintln!("spl_check: cannot read stdin");
        std::process::exit(2);
    }
    let mut macros = spelunk_spl::MacroLibrary::with_builtins();
    for path in std::env::args().skip(1) {
        if let Err(e) = macros.load_path(std::path::Path::new(&path)) {
            eprintln!("spl_check: {e}");
            std::process::exit(2);
        }
    }
    match spelunk_spl::prepare(&text, &macros) {
        Ok(p) => println!("{}\n---\n{}", p.expanded, p.pipeline),
        Err(d) => {
            eprintln!("{d}");
            std::process::exit(1);
        }
    }
}
