//! What the competition portal says when an application cannot be taken or changed, and the
//! wording of the consent an applicant gives (stored with the application, in the words shown).

use super::Lang;
use crate::domain::application::{Closed, Problem};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalMessage {
    Closed(Closed),
    /// A field of the form, by its label, and what is wrong with it.
    Field {
        label: String,
        problem: Problem,
    },
    FileTooLarge {
        name: String,
        mb: u32,
    },
    TooManyFiles(u32),
    /// Read from its bytes, the file is not of a kind the call takes.
    WrongFileType {
        name: String,
        allowed: String,
    },
    EmptyFile(String),
    /// The organizer already decided; the applicant can no longer change it.
    NotCorrectable,
    /// Returning or rejecting needs words for the applicant.
    ReasonNeeded,
    /// The application was already decided this way or the other.
    AlreadyDecided,
    /// A hidden field only robots fill was filled.
    Refused,
    /// A setting of the call that is not acceptable.
    Setting(CallProblem),
    /// The rules document is a PDF.
    RulesNotPdf,
    /// A revision after review sends the revised work: at least one file.
    RevisedWorkNeeded,
}

/// What is wrong with a call's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallProblem {
    FileSize,
    FileCount,
    TeamSize,
    NoFileKinds,
    TooManyFields,
    DeadlineBeforeOpening,
    LabelTooLong,
    ChoiceWithoutOptions,
}

impl CallProblem {
    pub fn text(self, lang: Lang) -> &'static str {
        use CallProblem::*;
        use Lang::*;
        match (self, lang) {
            (FileSize, Kk) => "файлдың өлшемі 1-ден 200 МБ-ға дейін болады",
            (FileSize, Ru) => "размер файла — от 1 до 200 МБ",
            (FileSize, En) => "a file's size is 1 to 200 MB",
            (FileCount, Kk) => "бір өтінімде 0-ден 10-ға дейін файл болады",
            (FileCount, Ru) => "в заявке может быть от 0 до 10 файлов",
            (FileCount, En) => "an application carries 0 to 10 files",
            (TeamSize, Kk) => "команда 0-ден 100-ге дейін адамнан тұрады",
            (TeamSize, Ru) => "в команде от 0 до 100 человек",
            (TeamSize, En) => "a team has 0 to 100 members",
            (NoFileKinds, Kk) => "қандай файлдар қабылданатынын таңдаңыз",
            (NoFileKinds, Ru) => "выберите, какие файлы принимаются",
            (NoFileKinds, En) => "choose which files are taken",
            (TooManyFields, Kk) => "өз өрістеріңіз 30-дан аспайды",
            (TooManyFields, Ru) => "своих полей — не больше 30",
            (TooManyFields, En) => "at most 30 fields of your own",
            (DeadlineBeforeOpening, Kk) => "қабылдау аяқталатын уақыт басталатын уақыттан кейін болуы керек",
            (DeadlineBeforeOpening, Ru) => "окончание приёма заявок должно быть позже начала",
            (DeadlineBeforeOpening, En) => "applications must close after they open",
            (LabelTooLong, Kk) => "өріс атауы 200 таңбадан аспайды",
            (LabelTooLong, Ru) => "название поля — не длиннее 200 знаков",
            (LabelTooLong, En) => "a field's label has at most 200 characters",
            (ChoiceWithoutOptions, Kk) => "«таңдау» өрісіне нұсқаларды жазыңыз",
            (ChoiceWithoutOptions, Ru) => "для поля «выбор» укажите варианты",
            (ChoiceWithoutOptions, En) => "a choice needs its options",
        }
    }
}

fn kinds(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Kk => [
            "жарияланбаған",
            "әлі ашылмаған",
            "өтінім қабылдау мерзімі аяқталды",
        ],
        Lang::Ru => [
            "не опубликован",
            "приём заявок ещё не начался",
            "срок приёма заявок истёк",
        ],
        Lang::En => [
            "is not published",
            "does not take applications yet",
            "the deadline for applications has passed",
        ],
    }
}

impl PortalMessage {
    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        use PortalMessage::*;
        match (self, lang) {
            (Closed(closed), lang) => {
                let [unpublished, not_yet, past] = kinds(lang);
                let reason = match closed {
                    crate::domain::application::Closed::NotPublished => unpublished,
                    crate::domain::application::Closed::NotYetOpen => not_yet,
                    crate::domain::application::Closed::PastDeadline => past,
                };
                match lang {
                    Kk => format!("өтінім қабылданбайды: {reason}"),
                    Ru => format!("заявка не принята: {reason}"),
                    En => format!("the application was not taken: {reason}"),
                }
            }
            (Field { label, problem }, lang) => format!("{label}: {}", problem_text(problem, lang)),
            (FileTooLarge { name, mb }, Kk) => format!("«{name}» файлы тым үлкен: ең көбі {mb} МБ"),
            (FileTooLarge { name, mb }, Ru) => format!("файл «{name}» слишком большой: не больше {mb} МБ"),
            (FileTooLarge { name, mb }, En) => format!("the file \"{name}\" is too large: at most {mb} MB"),
            (TooManyFiles(n), Kk) => format!("тым көп файл: ең көбі {n}"),
            (TooManyFiles(n), Ru) => format!("слишком много файлов: не больше {n}"),
            (TooManyFiles(n), En) => format!("too many files: at most {n}"),
            (WrongFileType { name, allowed }, Kk) => {
                format!(
                    "«{name}» файлының түрі қабылданбайды (мазмұны бойынша тексерілді); рұқсат: {allowed}"
                )
            }
            (WrongFileType { name, allowed }, Ru) => {
                format!("тип файла «{name}» не принимается (проверено по содержимому); можно: {allowed}")
            }
            (WrongFileType { name, allowed }, En) => {
                format!("the file \"{name}\" is not of an accepted type (read from its content); accepted: {allowed}")
            }
            (EmptyFile(name), Kk) => format!("«{name}» файлы бос"),
            (EmptyFile(name), Ru) => format!("файл «{name}» пуст"),
            (EmptyFile(name), En) => format!("the file \"{name}\" is empty"),
            (NotCorrectable, Kk) => "өтінім туралы шешім қабылданды: оны енді өзгертуге болмайды".into(),
            (NotCorrectable, Ru) => "по заявке уже принято решение: изменить её нельзя".into(),
            (NotCorrectable, En) => "the application was decided: it can no longer be changed".into(),
            (ReasonNeeded, Kk) => "өтініш берушіге себебін жазыңыз".into(),
            (ReasonNeeded, Ru) => "напишите заявителю причину".into(),
            (ReasonNeeded, En) => "write the applicant the reason".into(),
            (AlreadyDecided, Kk) => "өтінім бойынша шешім қабылданып қойған".into(),
            (AlreadyDecided, Ru) => "по заявке решение уже принято".into(),
            (AlreadyDecided, En) => "the application was already decided".into(),
            (Refused, Kk) => "өтінім қабылданбады".into(),
            (Refused, Ru) => "заявка не принята".into(),
            (Refused, En) => "the application was not taken".into(),
            (Setting(problem), lang) => problem.text(lang).into(),
            (RevisedWorkNeeded, Kk) => "жұмыстың жаңа нұсқасының файлын жіберіңіз".into(),
            (RevisedWorkNeeded, Ru) => "приложите файл доработанной работы".into(),
            (RevisedWorkNeeded, En) => "attach the revised work's file".into(),
            (RulesNotPdf, Kk) => "ереже PDF файлы болуы керек".into(),
            (RulesNotPdf, Ru) => "положение должно быть файлом PDF".into(),
            (RulesNotPdf, En) => "the rules must be a PDF file".into(),
        }
    }
}

pub fn problem_text(problem: &Problem, lang: Lang) -> String {
    use Lang::*;
    match (problem, lang) {
        (Problem::Required, Kk) => "толтыру міндетті".into(),
        (Problem::Required, Ru) => "обязательное поле".into(),
        (Problem::Required, En) => "required".into(),
        (Problem::NotEmail, Kk) => "электрондық пошта мекенжайы емес".into(),
        (Problem::NotEmail, Ru) => "это не адрес электронной почты".into(),
        (Problem::NotEmail, En) => "not an e-mail address".into(),
        (Problem::NotNumber, Kk) => "сан жазыңыз".into(),
        (Problem::NotNumber, Ru) => "укажите число".into(),
        (Problem::NotNumber, En) => "write a number".into(),
        (Problem::NotDate, Kk) => "күнді көрсетіңіз".into(),
        (Problem::NotDate, Ru) => "укажите дату".into(),
        (Problem::NotDate, En) => "give a date".into(),
        (Problem::NotLink, Kk) => "http:// немесе https:// сілтемесі керек".into(),
        (Problem::NotLink, Ru) => "нужна ссылка http:// или https://".into(),
        (Problem::NotLink, En) => "an http:// or https:// link is needed".into(),
        (Problem::NotAnOption, Kk) => "тізімнен таңдаңыз".into(),
        (Problem::NotAnOption, Ru) => "выберите из списка".into(),
        (Problem::NotAnOption, En) => "choose from the list".into(),
        (Problem::TooLong(n), Kk) => format!("тым ұзын: ең көбі {n} таңба"),
        (Problem::TooLong(n), Ru) => format!("слишком длинно: не больше {n} знаков"),
        (Problem::TooLong(n), En) => format!("too long: at most {n} characters"),
        (Problem::TeamTooLarge(n), Kk) => format!("команда тым үлкен: ең көбі {n} қатысушы"),
        (Problem::TeamTooLarge(n), Ru) => format!("команда слишком большая: не больше {n} участников"),
        (Problem::TeamTooLarge(n), En) => format!("the team is too large: at most {n} members"),
        (Problem::ConsentNeeded, Kk) => {
            "кәмелетке толмаған қатысушы үшін заңды өкілдің дербес деректерді өңдеуге келісімі қажет".into()
        }
        (Problem::ConsentNeeded, Ru) => {
            "для несовершеннолетнего участника нужно согласие законного представителя на обработку персональных данных".into()
        }
        (Problem::ConsentNeeded, En) => {
            "a minor's application needs a parent's or guardian's consent to the processing of personal data".into()
        }
        (Problem::Consent, Kk) => "дербес деректерді өңдеуге келісім қажет".into(),
        (Problem::Consent, Ru) => "нужно согласие на обработку персональных данных".into(),
        (Problem::Consent, En) => "consent to the processing of personal data is needed".into(),
    }
}

/// The consent an applicant gives, as the form shows it and the application keeps it.
pub fn consent_wording(lang: Lang, organization: &str, minor: bool) -> String {
    match (lang, minor) {
        (Lang::Kk, true) => format!(
            "Мен, кәмелетке толмаған қатысушының заңды өкілі ретінде, «{organization}» ұйымына баланың және өзімнің дербес деректерімді (аты-жөні, білім беру ұйымы, өңір, байланыс деректері, жұмыстары) байқауды өткізу, нәтижелерін жариялау және марапаттау құжаттарын беру үшін өңдеуге келісім беремін."
        ),
        (Lang::Kk, false) => format!(
            "Мен «{organization}» ұйымына дербес деректерімді (аты-жөні, білім беру ұйымы, өңір, байланыс деректері, жұмыстары) байқауды өткізу, нәтижелерін жариялау және марапаттау құжаттарын беру үшін өңдеуге келісім беремін."
        ),
        (Lang::Ru, true) => format!(
            "Я, законный представитель несовершеннолетнего участника, даю согласие «{organization}» на обработку персональных данных ребёнка и моих (ФИО, организация образования, регион, контакты, работы) для проведения конкурса, публикации итогов и выдачи наградных документов."
        ),
        (Lang::Ru, false) => format!(
            "Я даю согласие «{organization}» на обработку моих персональных данных (ФИО, организация образования, регион, контакты, работы) для проведения конкурса, публикации итогов и выдачи наградных документов."
        ),
        (Lang::En, true) => format!(
            "As the parent or legal guardian of a minor participant, I consent to \"{organization}\" processing the child's and my personal data (names, school, region, contacts, works) to run the competition, publish its results and issue award papers."
        ),
        (Lang::En, false) => format!(
            "I consent to \"{organization}\" processing my personal data (name, school, region, contacts, works) to run the competition, publish its results and issue award papers."
        ),
    }
}
