//! The command line: `iot-rest-codegen generate SPEC... --out DIR [--crate-name NAME] [--runtime-crate PATH]
//! [--scope SCOPE] [--force]` and `iot-rest-codegen diff OLD NEW [--format markdown|json] [--fail-on breaking]`.
//!
//! Exit status: 0 on success, 1 when an input document is bad (`error: <file>#<pointer>: <message>`),
//! the output cannot be written, or `diff --fail-on breaking` finds a breaking change; 2 on a usage
//! error.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use iot_rest_codegen::crate_files::{Runtime, RUNTIME_PACKAGE};

const USAGE: &str = "\
usage: iot-rest-codegen generate SPEC... --out DIR [--crate-name NAME] [--runtime-crate PATH] [--scope SCOPE] [--force]
       iot-rest-codegen diff OLD NEW [--format markdown|json] [--fail-on breaking]

Generates a standalone Rust client crate from Swagger 2.0 / OpenAPI 3.0 documents (JSON).

arguments:
  SPEC                  input document; several documents become one module each
  --out DIR             directory to write the crate into: absent, empty, or an earlier output of
                        this command (the files it wrote are replaced, other files are kept)
  --force               replace DIR even if this command did not write it
  --crate-name NAME     package name; default: derived from the first SPEC's file name
  --runtime-crate PATH  depend on the iot-rest-runtime package in directory PATH instead of
                        copying the runtime into the crate as src/runtime/; a relative PATH is
                        taken from the current directory and written into Cargo.toml relative
                        to DIR, an absolute one as it is
  --scope SCOPE         the OAuth scope clients ask a token credential for by default, e.g.
                        https://apps.azureiotcentral.com/.default; default: https://HOST/.default
                        for a server host without parameters, else none (set it per client
                        with ClientOptions::scope)
  -h, --help            print this help

diff compares what the two documents generate and prints the API change report: every change with
its impact on code written against OLD's client (breaking, behavioural, additive, docs-only) and the
crate's semver verdict (major, minor, patch).

  --format FORMAT       markdown (default: a pull-request comment) or json
  --fail-on breaking    exit with status 1 when a change is breaking";

#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Generate {
        specs: Vec<PathBuf>,
        out: PathBuf,
        crate_name: Option<String>,
        runtime_crate: Option<PathBuf>,
        scope: Option<String>,
        force: bool,
    },
    Diff {
        old: PathBuf,
        new: PathBuf,
        json: bool,
        fail_on_breaking: bool,
    },
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args_os().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Command::Diff { old, new, json, fail_on_breaking } => {
            let shown = |p: &Path| p.to_string_lossy().replace('\\', "/");
            match iot_rest_codegen::diff::compare_files(&old, &shown(&old), &new, &shown(&new)) {
                Ok(report) => {
                    if json {
                        println!("{:#}", report.json());
                    } else {
                        print!("{}", report.markdown());
                    }
                    if fail_on_breaking && report.is_breaking() {
                        eprintln!("error: {} breaking changes", report.count(iot_rest_codegen::diff::Impact::Breaking));
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Generate { specs, out, crate_name, runtime_crate, scope, force } => {
            match generate(&specs, &out, crate_name, runtime_crate, scope, force) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn generate(
    specs: &[PathBuf],
    out: &Path,
    crate_name: Option<String>,
    runtime_crate: Option<PathBuf>,
    scope: Option<String>,
    force: bool,
) -> Result<(), String> {
    let crate_name =
        crate_name.unwrap_or_else(|| specs.first().map(|spec| default_crate_name(spec)).unwrap_or_default());
    let runtime = match runtime_crate {
        None => Runtime::Copied,
        Some(path) => Runtime::Package { path: runtime_dependency_path(&path, out)? },
    };
    let specs: Vec<&Path> = specs.iter().map(PathBuf::as_path).collect();
    let generated = iot_rest_codegen::generate_crate_with_scope(&specs, &crate_name, &runtime, scope.as_deref())
        .map_err(|e| e.to_string())?;
    let files = &generated.files;
    let replace = if force { iot_rest_codegen::Replace::Force } else { iot_rest_codegen::Replace::Generated };
    iot_rest_codegen::write_tree(out, files, replace).map_err(|e| e.to_string())?;
    for api in &generated.apis {
        eprintln!("{}", iot_rest_codegen::report(api, generated.api_lines(), &crate_name));
    }
    println!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}

/// How the crate in `out` names the runtime package in `dir` in its `Cargo.toml`; the package must be there.
fn runtime_dependency_path(dir: &Path, out: &Path) -> Result<String, String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
    if !manifest.lines().any(|l| l.replace(' ', "") == format!("name=\"{RUNTIME_PACKAGE}\"")) {
        return Err(format!("--runtime-crate {}: no {RUNTIME_PACKAGE} package there", dir.display()));
    }
    if dir.is_absolute() {
        return Ok(dir.to_string_lossy().replace('\\', "/"));
    }
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    Ok(relative_path(&cwd.join(out), &cwd.join(dir)))
}

/// `to` as seen from directory `from` (both absolute), worked out on the paths' text: `.` and `..`
/// are resolved, symbolic links are not.
fn relative_path(from: &Path, to: &Path) -> String {
    use std::path::Component;
    fn normal(path: &Path) -> Vec<Component<'_>> {
        let mut parts: Vec<Component> = Vec::new();
        for part in path.components() {
            match part {
                Component::CurDir => {}
                Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        parts
    }
    let (from, to) = (normal(from), normal(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|p| p.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

/// `diff OLD NEW [--format markdown|json] [--fail-on breaking]`, after the command word.
fn parse_diff(args: impl Iterator<Item = OsString>) -> Result<Command, String> {
    let mut args = args;
    let (mut files, mut json, mut fail_on_breaking, mut format_seen) = (Vec::new(), false, false, false);
    while let Some(arg) = args.next() {
        let text = arg.to_str().unwrap_or_default();
        let (flag, inline_value) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (text, None),
        };
        let mut value = || inline_value.clone().or_else(|| args.next().map(|v| v.to_string_lossy().into_owned())).filter(|v| !v.is_empty());
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--format" => {
                json = match value().as_deref() {
                    Some("json") => true,
                    Some("markdown") => false,
                    Some(other) => return Err(format!("--format must be markdown or json, not \"{other}\"")),
                    None => return Err("--format needs a value".into()),
                };
                if std::mem::replace(&mut format_seen, true) {
                    return Err("--format given more than once".into());
                }
            }
            "--fail-on" => match value().as_deref() {
                Some("breaking") => fail_on_breaking = true,
                Some(other) => return Err(format!("--fail-on takes breaking, not \"{other}\"")),
                None => return Err("--fail-on needs a value".into()),
            },
            _ if text.starts_with('-') && text != "-" => return Err(format!("unknown option \"{text}\"")),
            _ => files.push(PathBuf::from(arg)),
        }
    }
    match <[PathBuf; 2]>::try_from(files) {
        Ok([old, new]) => Ok(Command::Diff { old, new, json, fail_on_breaking }),
        Err(files) => Err(format!("diff takes two documents, OLD and NEW ({} given)", files.len())),
    }
}

fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut args = args.into_iter().peekable();
    if args.peek().and_then(|a| a.to_str()) == Some("diff") {
        args.next();
        return parse_diff(args);
    }
    let mut specs = Vec::new();
    let mut out = None;
    let mut crate_name = None;
    let mut runtime_crate = None;
    let mut scope = None;
    let mut force = false;
    let mut only_specs = false;
    let mut command_seen = false;
    while let Some(arg) = args.next() {
        let text = arg.to_str().unwrap_or_default();
        if only_specs || !text.starts_with('-') || text == "-" {
            if command_seen {
                specs.push(PathBuf::from(arg));
            } else if text == "generate" {
                command_seen = true;
            } else {
                return Err(format!("unknown command \"{}\" (generate or diff)", arg.to_string_lossy()));
            }
            continue;
        }
        let (flag, inline_value) = match text.split_once('=') {
            Some((flag, value)) => (flag, Some(OsString::from(value))),
            None => (text, None),
        };
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--" => only_specs = true,
            "--force" if inline_value.is_none() => force = true,
            "--out" | "--crate-name" | "--runtime-crate" | "--scope" => {
                let value = match inline_value.or_else(|| args.next()) {
                    Some(value) if !value.is_empty() => value,
                    _ => return Err(format!("{flag} needs a value")),
                };
                if flag == "--out" {
                    if out.replace(PathBuf::from(value)).is_some() {
                        return Err("--out given more than once".into());
                    }
                } else if flag == "--scope" {
                    let value = value.to_str().ok_or("--scope must be valid UTF-8")?.to_owned();
                    if scope.replace(value).is_some() {
                        return Err("--scope given more than once".into());
                    }
                } else if flag == "--runtime-crate" {
                    if runtime_crate.replace(PathBuf::from(value)).is_some() {
                        return Err("--runtime-crate given more than once".into());
                    }
                } else {
                    let name = value.to_str().ok_or("--crate-name must be valid UTF-8")?.to_owned();
                    check_crate_name(&name)?;
                    if crate_name.replace(name).is_some() {
                        return Err("--crate-name given more than once".into());
                    }
                }
            }
            _ => return Err(format!("unknown option \"{}\"", arg.to_string_lossy())),
        }
    }
    if !command_seen {
        return Err("missing command \"generate\"".into());
    }
    if specs.is_empty() {
        return Err("no SPEC given".into());
    }
    let out = out.ok_or("missing --out DIR")?;
    Ok(Command::Generate { specs, out, crate_name, runtime_crate, scope, force })
}

/// Names Cargo rejects or that would shadow a crate every build can see.
const RESERVED_NAMES: &[&str] = &[
    "alloc",
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "core",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "proc_macro",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "std",
    "struct",
    "super",
    "test",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
];

fn check_crate_name(name: &str) -> Result<(), String> {
    let valid_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid_chars || !starts_with_letter {
        return Err(format!(
            "invalid crate name \"{name}\": use ASCII letters, digits, '-' and '_', starting with a letter"
        ));
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(format!("invalid crate name \"{name}\": it is reserved"));
    }
    Ok(())
}

/// `specs/iotcentral.json` → `iotcentral`; a stem that does not start with a letter takes its
/// directory's name as a prefix (`specs/dps/2017-11-15.json` → `dps-2017-11-15`), else `api-`.
fn default_crate_name(spec: &Path) -> String {
    let sanitise = |text: &str| {
        let lowered: String = text
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        lowered
            .split('-')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("-")
    };
    let stem = sanitise(&spec.file_stem().unwrap_or_default().to_string_lossy());
    let starts_with_letter = |s: &str| s.starts_with(|c: char| c.is_ascii_alphabetic());
    let name = if starts_with_letter(&stem) {
        stem
    } else {
        let parent = spec
            .parent()
            .and_then(Path::file_name)
            .map(|p| sanitise(&p.to_string_lossy()));
        let prefix = parent
            .filter(|p| starts_with_letter(p))
            .unwrap_or_else(|| "api".to_owned());
        if stem.is_empty() {
            prefix
        } else {
            format!("{prefix}-{stem}")
        }
    };
    if RESERVED_NAMES.contains(&name.as_str()) {
        format!("{name}-api")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<OsString> {
        text.split_whitespace().map(OsString::from).collect()
    }

    #[test]
    fn parses_generate_with_all_options() {
        let command =
            parse_args(args("generate a.json b.json --out gen --crate-name my-api --runtime-crate ../rt --scope s/.default"))
                .unwrap();
        assert_eq!(
            command,
            Command::Generate {
                specs: vec!["a.json".into(), "b.json".into()],
                out: "gen".into(),
                crate_name: Some("my-api".into()),
                runtime_crate: Some("../rt".into()),
                scope: Some("s/.default".into()),
                force: false,
            }
        );
        let command = parse_args(args("generate --out=gen --force -- --odd.json")).unwrap();
        assert_eq!(
            command,
            Command::Generate {
                specs: vec!["--odd.json".into()],
                out: "gen".into(),
                crate_name: None,
                runtime_crate: None,
                scope: None,
                force: true,
            }
        );
    }

    #[test]
    fn usage_errors_say_what_is_wrong() {
        let cases = [
            ("", "missing command \"generate\""),
            ("build a.json", "unknown command \"build\" (generate or diff)"),
            ("diff a.json", "diff takes two documents, OLD and NEW (1 given)"),
            ("diff a.json b.json --format yaml", "--format must be markdown or json, not \"yaml\""),
            ("diff a.json b.json --fail-on additive", "--fail-on takes breaking, not \"additive\""),
            ("diff a.json b.json --format json --format=json", "--format given more than once"),
            ("diff a.json b.json --verbose", "unknown option \"--verbose\""),
            ("generate --out gen", "no SPEC given"),
            ("generate a.json", "missing --out DIR"),
            ("generate a.json --out", "--out needs a value"),
            ("generate a.json --out a --out b", "--out given more than once"),
            ("generate a.json --out a --runtime-crate", "--runtime-crate needs a value"),
            ("generate a.json --out a --runtime-crate r --runtime-crate r", "--runtime-crate given more than once"),
            ("generate a.json --out a --scope x --scope y", "--scope given more than once"),
            ("generate a.json --out a --verbose", "unknown option \"--verbose\""),
            (
                "generate a.json --out a --crate-name 9lives",
                "invalid crate name \"9lives\": use ASCII letters, digits, '-' and '_', starting with a letter",
            ),
            (
                "generate a.json --out a --crate-name std",
                "invalid crate name \"std\": it is reserved",
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_args(args(line)), Err(expected.to_owned()), "for {line:?}");
        }
        assert_eq!(parse_args(args("generate --help")), Ok(Command::Help));
        assert_eq!(
            parse_args(args("diff old.json new.json --format=json --fail-on breaking")),
            Ok(Command::Diff { old: "old.json".into(), new: "new.json".into(), json: true, fail_on_breaking: true })
        );
    }

    #[test]
    fn default_crate_name_comes_from_the_first_spec() {
        let cases = [
            ("specs/iotcentral.json", "iotcentral"),
            ("specs/dps/2017-11-15.json", "dps-2017-11-15"),
            ("2017-11-15.json", "api-2017-11-15"),
            ("My_API.v2.json", "my-api-v2"),
            ("../shared/testserver/swagger/lro.json", "lro"),
            ("test.json", "test-api"),
        ];
        for (spec, expected) in cases {
            assert_eq!(default_crate_name(Path::new(spec)), expected, "for {spec}");
        }
    }

    #[test]
    fn the_runtime_path_is_written_relative_to_the_output_directory() {
        let cases = [
            ("/w/out", "/w/generated/runtime", "../generated/runtime"),
            ("/w/target/x/./gen", "/w/generated/runtime", "../../../generated/runtime"),
            ("/w/a/../out", "/w/rt", "../rt"),
            ("/w/out", "/w/out/rt", "rt"),
            ("/w/out", "/w/out", "."),
        ];
        for (from, to, expected) in cases {
            assert_eq!(relative_path(Path::new(from), Path::new(to)), expected, "from {from} to {to}");
        }
    }
}
