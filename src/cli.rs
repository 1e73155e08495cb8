//! The command line: `serve`, `token create`, `issue`, `verify`, `backup`, `restore` and the rest.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "gramota",
    version,
    about = "Diplomas and certificates for competitions, with QR verification"
)]
pub struct Cli {
    /// Settings file (defaults to ./gramota.toml when it exists).
    #[arg(long, global = true, env = "GRAMOTA_CONFIG")]
    pub config: Option<PathBuf>,
    /// `text` for people (coloured on a terminal only) or `json`, one object a line, for collectors.
    #[arg(
        long,
        global = true,
        env = "GRAMOTA_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: crate::telemetry::LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the service (GRAMOTA_BIND, default 127.0.0.1:8080).
    Serve,
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Offline batch on the same database: import a results file, issue, write PDFs and documents.zip.
    Issue {
        /// Results file (UTF-8 CSV with a header row).
        #[arg(long)]
        results: PathBuf,
        /// The competition's title as printed on the papers.
        #[arg(long)]
        title: String,
        /// Design to render with.
        #[arg(long, default_value = "classic")]
        design: String,
        /// Folder for the PDFs and documents.zip (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// Issuing organization (created if needed).
        #[arg(long, default_value = "default")]
        org: String,
        /// Language of the papers: kk, ru or en.
        #[arg(long, default_value = "ru")]
        language: String,
    },
    /// Check a paper: a PDF, a photo of its QR code (PNG/JPEG), or its verification URL. The signed
    /// record is checked offline; the registry too when this instance's database is here.
    /// Exit 0 genuine and valid, 1 not genuine or revoked, 2 could not check.
    Verify {
        file_or_url: String,
        /// The issuer's public keys (their /.well-known/gramota-keys.json), to verify away from it.
        #[arg(long)]
        keys: Option<PathBuf>,
    },
    /// Designs: list the built-in ones, or preview one (or your own JSON file) with sample data.
    Design {
        #[command(subcommand)]
        command: DesignCommand,
    },
    /// A paper for everyone who earned one: letters to the jury, team members' personal papers,
    /// seminar and webinar certificates for those who attended.
    Papers {
        #[command(subcommand)]
        command: PapersCommand,
    },
    /// Manage web application accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage the signing keys (kept in DATA_DIR/keys, never in the database).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Copies the database (SQLite; PostgreSQL is dumped with pg_dump), the signing keys and the
    /// issued PDFs into a new folder, while the service runs.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Restores a backup into an empty data folder (and, for SQLite, a database file not there yet).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum DesignCommand {
    /// The built-in designs, and with --org an organization's own.
    List {
        /// An organization (its short name) whose own designs to list too.
        #[arg(long)]
        org: Option<String>,
    },
    /// Render a design with sample data into a PDF.
    Preview {
        /// A built-in design's name, with --org an organization's own design, or a design JSON file
        /// (see templates/designs/README.md).
        design: String,
        /// The organization whose own design this is.
        #[arg(long)]
        org: Option<String>,
        /// Language of the paper: kk, ru or en.
        #[arg(long, default_value = "ru")]
        language: String,
        /// Award code: grand_prix, place_1..3, degree_1..3, laureate, participant.
        #[arg(long, default_value = "degree_1")]
        award: String,
        #[arg(long, default_value = "preview.pdf")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum PapersCommand {
    /// Issue a letter of gratitude to every judge who scored at least one entry and has none yet,
    /// naming the number of works they reviewed; prints one line a letter.
    JuryLetters {
        /// The organization's short name.
        #[arg(long)]
        org: String,
        /// The competition's id.
        #[arg(long)]
        competition: String,
    },
    /// Switch on a personal paper for each member of a team besides the team's diploma (--off to
    /// switch it off); --issue issues what is due now.
    Members {
        #[arg(long)]
        org: String,
        #[arg(long)]
        competition: String,
        #[arg(long)]
        off: bool,
        /// Run the competition's issue job now, with progress.
        #[arg(long)]
        issue: bool,
    },
    /// A seminar's or webinar's attendance: mark entries (--entry ID, repeatable) as attended, or
    /// --absent; only those who attended get its certificate. Lists every entry with its mark (and
    /// only lists without --entry); --issue issues what is due now.
    Attended {
        #[arg(long)]
        org: String,
        #[arg(long)]
        competition: String,
        #[arg(long = "entry")]
        entries: Vec<String>,
        #[arg(long)]
        absent: bool,
        /// Run the competition's issue job now, with progress.
        #[arg(long)]
        issue: bool,
    },
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// List the keys with their status.
    List,
    /// Start signing with a new key; the old one keeps verifying what it signed.
    Rotate,
    /// Mark a key compromised: papers it signed show a warning. An active key is replaced at once.
    Compromise { kid: String },
    /// Print a new secret for a deployment of several instances: give the same one to each
    /// (GRAMOTA_SIGNING_SECRET or signing_secret_file), and they sign with the same keys, kept in
    /// the database.
    Secret,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account in an organization (created if needed). With --password-stdin the password
    /// is the first line of standard input; without it an invitation link is printed (last line)
    /// where the person sets their own password.
    Create {
        /// The organization's short name: lower-case Latin letters, digits and dashes.
        #[arg(long)]
        org: String,
        /// The e-mail address the person signs in with.
        #[arg(long)]
        email: String,
        /// admin, organizer or jury.
        #[arg(long, default_value = "organizer")]
        role: String,
        /// The person's name as shown in the application.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create the organization if needed and print a new API token (the last line of output).
    Create {
        /// The organization's short name: lower-case Latin letters, digits and dashes.
        #[arg(long)]
        org: String,
        /// Organization name in Russian.
        #[arg(long)]
        name_ru: Option<String>,
        /// Organization name in Kazakh.
        #[arg(long)]
        name_kk: Option<String>,
        /// Organization name in English.
        #[arg(long)]
        name_en: Option<String>,
        /// City printed on the papers.
        #[arg(long)]
        city: Option<String>,
        /// A note on what the token is for.
        #[arg(long)]
        label: Option<String>,
    },
}
