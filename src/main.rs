use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use gramota::cli::{Cli, Command, DesignCommand, KeysCommand, PapersCommand, TokenCommand, UserCommand};
use gramota::commands::{self, IssueRequest, TokenRequest, UserCreated, UserRequest};
use gramota::config::Settings;
use gramota::db::organizations::OrganizationNames;
use gramota::startup::Application;

fn settings(cli: &Cli) -> anyhow::Result<Settings> {
    let path = cli.config.clone().unwrap_or_else(|| "gramota.toml".into());
    let file = if cli.config.is_some() || Path::new(&path).exists() {
        Some(std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?)
    } else {
        None
    };
    let env: HashMap<String, String> = std::env::vars().collect();
    Ok(Settings::load(file.as_deref(), &env)?)
}

fn main() -> ExitCode {
    gramota::memory::one_arena_per_core();
    gramota::data_dir::private_by_default();
    let cli = Cli::parse();
    gramota::telemetry::init(cli.log_format);
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = settings(&cli)?;
    match cli.command {
        Command::Serve => {
            actix_web::rt::System::new().block_on(async {
                let application = Application::build(settings.clone())?;
                tracing::info!(
                    port = application.port(),
                    database = %gramota::db::Backend::of_url(&settings.database_url).name(),
                    public_url = %settings.public_url,
                    "gramota is serving"
                );
                application.run_until_signal().await?;
                tracing::info!("gramota stopped");
                anyhow::Ok(())
            })?;
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    org,
                    name_ru,
                    name_kk,
                    name_en,
                    city,
                    label,
                },
        } => {
            let names = OrganizationNames {
                kk: name_kk,
                ru: name_ru,
                en: name_en,
                city,
            };
            let token = commands::create_token(
                &settings,
                TokenRequest {
                    org: org.clone(),
                    names,
                    label,
                },
            )?;
            println!("API token for {org} (shown once, keep it safe):");
            println!("{token}");
        }
        Command::Issue {
            results,
            title,
            design,
            out,
            org,
            language,
        } => {
            let out_dir = out.clone();
            let count = commands::issue(
                &settings,
                IssueRequest {
                    results,
                    title,
                    design,
                    out,
                    org,
                    language,
                },
            )?;
            println!("{count} documents written to {}", out_dir.display());
        }
        Command::Verify { file_or_url, keys } => {
            let verdict = commands::verify(&settings, &file_or_url, keys.as_deref());
            println!("{}", verdict.message());
            return Ok(ExitCode::from(verdict.exit_code() as u8));
        }
        Command::Design { command } => match command {
            DesignCommand::List { org } => commands::design::list(&settings, org.as_deref())?
                .iter()
                .for_each(|line| println!("{line}")),
            DesignCommand::Preview {
                design,
                org,
                language,
                award,
                out,
            } => {
                commands::design::preview(&settings, &design, org.as_deref(), &language, &award, &out)?;
                println!("{}", out.display());
            }
        },
        Command::User {
            command:
                UserCommand::Create {
                    org,
                    email,
                    role,
                    name,
                    password_stdin,
                },
        } => {
            let password = match password_stdin {
                true => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    Some(line.trim_end_matches(['\r', '\n']).to_string())
                }
                false => None,
            };
            let request = UserRequest {
                org,
                email,
                name,
                role,
                password,
            };
            match commands::create_user(&settings, request)? {
                UserCreated::Account { email } => println!("account {email} created; sign in at /app/login"),
                UserCreated::Invitation { link } => {
                    println!(
                        "invitation created (valid {} days); open it to set the password:",
                        gramota::invitations::INVITATION_DAYS
                    );
                    println!("{link}");
                }
            }
        }
        Command::Papers { command } => match command {
            PapersCommand::JuryLetters { org, competition } => {
                commands::papers::jury_letters(&settings, &org, &competition)?
                    .iter()
                    .for_each(|line| println!("{line}"))
            }
            PapersCommand::Members {
                org,
                competition,
                off,
                issue,
            } => println!(
                "{}",
                commands::papers::members(&settings, &org, &competition, !off, issue)?
            ),
            PapersCommand::Attended {
                org,
                competition,
                entries,
                absent,
                issue,
            } => commands::papers::attended(&settings, &org, &competition, &entries, !absent, issue)?
                .iter()
                .for_each(|line| println!("{line}")),
        },
        Command::Backup { out } => commands::backup::backup(&settings, &out)?
            .iter()
            .for_each(|line| println!("{line}")),
        Command::Restore { from } => commands::backup::restore(&settings, &from)?
            .iter()
            .for_each(|line| println!("{line}")),
        Command::Keys { command } => match command {
            KeysCommand::List => commands::keys::list(&settings)?
                .iter()
                .for_each(|line| println!("{line}")),
            KeysCommand::Rotate => println!("new signing key {}", commands::keys::rotate(&settings)?),
            KeysCommand::Compromise { kid } => {
                commands::keys::compromise(&settings, &kid)?;
                println!("key {kid} marked compromised");
            }
            KeysCommand::Secret => println!("{}", commands::keys::secret()),
        },
    }
    Ok(ExitCode::SUCCESS)
}
