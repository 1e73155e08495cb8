//! What the product says to people when something is wrong, in their language.

use super::{DesignMessage, JuryMessage, Lang, PortalMessage, ReminderMessage, StageMessage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    MissingColumn(&'static str),
    EmptyFile,
    MalformedCsv(String),
    NotText,
    LegacyXls,
    CorruptXlsx(String),
    NoWorksheet,
    XlsxTooLarge(u64),
    HeaderNotFound(usize),
    MappedColumnNotFound(String),
    TooFewColumns(usize),
    TooManyColumns {
        row: usize,
        max: usize,
    },
    EmptyName,
    UnknownAward(String),
    BadHours(String),
    BadAttended(String),
    CellTooLong(usize),
    TooManyRows(usize),
    DuplicateEntry(usize),
    SamePerson(usize),
    NotARepeat(usize),
    MissingGlyphs(String),
    Unauthorized,
    NotFound,
    PayloadTooLarge(usize),
    InvalidJson(String),
    InvalidField {
        field: &'static str,
        reason: String,
    },
    NothingToIssue,
    /// A competition with papers cannot be deleted: they stay verifiable; archive it instead.
    HasPapers(i64),
    AlreadyIssued,
    JobFinished,
    RateLimited(u64),
    Busy(u64),
    DiskFull,
    PaperErased,
    NotReissuable,
    StageHasEntries,
    ConflictOfInterest,
    CriteriaLocked,
    NoCriteria,
    Jury(JuryMessage),
    Design(DesignMessage),
    Portal(PortalMessage),
    Stage(StageMessage),
    Reminder(ReminderMessage),
    Forbidden,
    MailOff,
    NothingToSend,
    NotResendable,
    Internal,
}

impl Message {
    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        use Message::*;
        match (self, lang) {
            (MissingColumn(c), Kk) => format!("«{c}» бағаны табылмады"),
            (MissingColumn(c), Ru) => format!("не найден столбец «{c}»"),
            (MissingColumn(c), En) => format!("column \"{c}\" not found"),
            (EmptyFile, Kk) => "файлда деректер жоқ".into(),
            (EmptyFile, Ru) => "в файле нет данных".into(),
            (EmptyFile, En) => "the file has no data rows".into(),
            (MalformedCsv(d), Kk) => format!("CSV жолын оқу мүмкін болмады: {d}"),
            (MalformedCsv(d), Ru) => format!("не удалось прочитать строку CSV: {d}"),
            (MalformedCsv(d), En) => format!("could not read the CSV row: {d}"),
            (NotText, Kk) => "файл оқылмады: XLSX немесе CSV (UTF-8, UTF-16, Windows-1251) жүктеңіз".into(),
            (NotText, Ru) => "файл не читается: загрузите XLSX или CSV (UTF-8, UTF-16, Windows-1251)".into(),
            (NotText, En) => {
                "the file cannot be read: upload XLSX or CSV (UTF-8, UTF-16, Windows-1251)".into()
            }
            (LegacyXls, Kk) => "ескі XLS пішімі: файлды XLSX немесе CSV ретінде сақтаңыз".into(),
            (LegacyXls, Ru) => "старый формат XLS: сохраните файл как XLSX или CSV".into(),
            (LegacyXls, En) => "old XLS format: save the file as XLSX or CSV".into(),
            (CorruptXlsx(d), Kk) => format!("XLSX файлы бүлінген немесе оқылмайды: {d}"),
            (CorruptXlsx(d), Ru) => format!("файл XLSX повреждён или не читается: {d}"),
            (CorruptXlsx(d), En) => format!("the XLSX file is damaged or unreadable: {d}"),
            (NoWorksheet, Kk) => "кітапта көрінетін парақ жоқ".into(),
            (NoWorksheet, Ru) => "в книге нет видимого листа".into(),
            (NoWorksheet, En) => "the workbook has no visible worksheet".into(),
            (XlsxTooLarge(mb), Kk) => {
                format!("XLSX ашылғанда тым үлкен (ең көбі {mb} МБ) немесе күдікті сығылған")
            }
            (XlsxTooLarge(mb), Ru) => {
                format!("XLSX после распаковки слишком велик (не более {mb} МБ) или подозрительно сжат")
            }
            (XlsxTooLarge(mb), En) => {
                format!("the XLSX unpacks too large (at most {mb} MB) or is suspiciously compressed")
            }
            (HeaderNotFound(n), Kk) => {
                format!("алғашқы {n} жолда тақырып жолы табылмады (мысалы: Аты-жөні, Орын)")
            }
            (HeaderNotFound(n), Ru) => {
                format!("в первых {n} строках не найдена строка заголовков (например: ФИО, Место)")
            }
            (HeaderNotFound(n), En) => {
                format!("no header row in the first {n} rows (e.g. Name, Place)")
            }
            (MappedColumnNotFound(c), Kk) => format!("көрсетілген «{c}» бағаны табылмады"),
            (MappedColumnNotFound(c), Ru) => format!("указанный столбец «{c}» не найден"),
            (MappedColumnNotFound(c), En) => format!("the column \"{c}\" given in the mapping was not found"),
            (TooFewColumns(n), Kk) => format!("жолда бағандар аз ({n}): ұяшық жоқ"),
            (TooFewColumns(n), Ru) => format!("в строке мало столбцов ({n}): ячейки нет"),
            (TooFewColumns(n), En) => format!("the row has too few columns ({n}): the cell is missing"),
            (TooManyColumns { row, max }, Kk) => format!(
                "{row}-жолда бағандар тым көп (ең көбі {max}): деректердің оң жағындағы бос бағандарды жойыңыз"
            ),
            (TooManyColumns { row, max }, Ru) => format!(
                "в строке {row} слишком много столбцов (не более {max}): удалите пустые столбцы справа от данных"
            ),
            (TooManyColumns { row, max }, En) => format!(
                "row {row} has too many columns (at most {max}): delete the empty columns right of the data"
            ),
            (EmptyName, Kk) => "аты-жөні толтырылмаған".into(),
            (EmptyName, Ru) => "не заполнено ФИО".into(),
            (EmptyName, En) => "the name is empty".into(),
            (BadHours(t), Kk) => format!(
                "«{t}» сағат саны емес: 1-ден {}-ға дейінгі бүтін сан жазыңыз",
                crate::domain::competition::MAX_HOURS
            ),
            (BadHours(t), Ru) => format!(
                "«{t}» — не число часов: укажите целое число от 1 до {}",
                crate::domain::competition::MAX_HOURS
            ),
            (BadHours(t), En) => format!(
                "\"{t}\" is not a number of hours: write a whole number from 1 to {}",
                crate::domain::competition::MAX_HOURS
            ),
            (BadAttended(t), Kk) => {
                format!("«{t}» қатысу белгісі емес: «иә» немесе «жоқ» деп жазыңыз (+ немесе бос ұяшық)")
            }
            (BadAttended(t), Ru) => {
                format!("«{t}» — не отметка присутствия: напишите «да» или «нет» (+ или пустая ячейка)")
            }
            (BadAttended(t), En) => {
                format!("\"{t}\" is not an attendance mark: write \"yes\" or \"no\" (+ or an empty cell)")
            }
            (UnknownAward(a), Kk) => {
                format!("«{a}» марапаты танылмады: оны тексеру бетінде санатқа сәйкестендіріңіз (мысалы: 1 орын, Бас жүлде, Жүлдегер, Қатысушы)")
            }
            (UnknownAward(a), Ru) => {
                format!("награда «{a}» не распознана: сопоставьте её с категорией на странице проверки (например: 1 место, Гран-при, Призёр, Участник)")
            }
            (UnknownAward(a), En) => {
                format!("award \"{a}\" not recognized: map it to a category on the preview page or with the awards parameter (e.g. 1st place, Grand Prix, Prize-winner, Participant)")
            }
            (CellTooLong(n), Kk) => format!("ұяшық тым ұзын (ең көбі {n} таңба)"),
            (CellTooLong(n), Ru) => format!("слишком длинное значение (не более {n} символов)"),
            (CellTooLong(n), En) => format!("the cell is too long (at most {n} characters)"),
            (TooManyRows(n), Kk) => format!("жолдар тым көп (ең көбі {n})"),
            (TooManyRows(n), Ru) => format!("слишком много строк (не более {n})"),
            (TooManyRows(n), En) => format!("too many rows (at most {n})"),
            (DuplicateEntry(r), Kk) => format!("{r}-жолды қайталайды"),
            (DuplicateEntry(r), Ru) => format!("повторяет строку {r}"),
            (DuplicateEntry(r), En) => format!("repeats row {r}"),
            (SamePerson(r), Kk) => format!("{r}-жолдағы қатысушы, бірақ басқа деректермен"),
            (SamePerson(r), Ru) => format!("тот же участник, что в строке {r}, но с другими данными"),
            (SamePerson(r), En) => format!("the same participant as row {r}, with other data"),
            (NotARepeat(r), Kk) => format!("{r}-жол қайталау емес: оны алып тастауға болмайды"),
            (NotARepeat(r), Ru) => format!("строка {r} не повтор: её нельзя исключить"),
            (NotARepeat(r), En) => format!("row {r} is not a repeat: it cannot be dropped"),
            (MissingGlyphs(c), Kk) => format!("қаріпте мына таңбалар жоқ: {c}"),
            (MissingGlyphs(c), Ru) => format!("в шрифте нет символов: {c}"),
            (MissingGlyphs(c), En) => format!("the font lacks these characters: {c}"),
            (Unauthorized, Kk) => "API кілті жоқ немесе жарамсыз".into(),
            (Unauthorized, Ru) => "API-токен не указан или недействителен".into(),
            (Unauthorized, En) => "the API token is missing or not valid".into(),
            (NotFound, Kk) => "табылмады".into(),
            (NotFound, Ru) => "не найдено".into(),
            (NotFound, En) => "not found".into(),
            (PayloadTooLarge(n), Kk) => format!("файл тым үлкен (ең көбі {} МБ)", n / 1_048_576),
            (PayloadTooLarge(n), Ru) => format!("файл слишком большой (не более {} МБ)", n / 1_048_576),
            (PayloadTooLarge(n), En) => format!("the upload is too large (at most {} MB)", n / 1_048_576),
            (InvalidJson(d), Kk) => format!("сұраныс денесі дұрыс емес: {d}"),
            (InvalidJson(d), Ru) => format!("неверное тело запроса: {d}"),
            (InvalidJson(d), En) => format!("the request body is not valid: {d}"),
            (InvalidField { field, reason }, Kk) => format!("«{field}» өрісі дұрыс емес: {reason}"),
            (InvalidField { field, reason }, Ru) => format!("неверное поле «{field}»: {reason}"),
            (InvalidField { field, reason }, En) => format!("field \"{field}\" is not valid: {reason}"),
            (HasPapers(n), Kk) => format!(
                "байқауда {n} құжат берілген: оларды тексеру мүмкіндігі сақталуы үшін байқауды жоюға болмайды; оның орнына мұрағатқа жіберіңіз"
            ),
            (HasPapers(n), Ru) => format!(
                "по конкурсу выдано документов: {n}; чтобы их можно было проверить, конкурс нельзя удалить — отправьте его в архив"
            ),
            (HasPapers(n), En) => format!(
                "{n} papers were issued for this competition; they must stay verifiable, so it cannot be deleted: archive it instead"
            ),
            (NothingToIssue, Kk) => "беретін құжат жоқ: алдымен нәтижелерді жүктеңіз".into(),
            (NothingToIssue, Ru) => "нечего выдавать: сначала загрузите результаты".into(),
            (NothingToIssue, En) => "nothing to issue: upload the results first".into(),
            (AlreadyIssued, Kk) => "құжаттар берілген: тізімді ауыстыруға болмайды".into(),
            (AlreadyIssued, Ru) => "документы уже выданы: заменить список нельзя".into(),
            (AlreadyIssued, En) => "documents were already issued: the list cannot be replaced".into(),
            (JobFinished, Kk) => "тапсырма аяқталған: оны тоқтату мүмкін емес".into(),
            (JobFinished, Ru) => "задание уже завершено: отменить его нельзя".into(),
            (JobFinished, En) => "the job has already ended and cannot be cancelled".into(),
            (Forbidden, Kk) => {
                "пішін ескірген немесе басқа беттен жіберілген; бетті жаңартып, қайталаңыз".into()
            }
            (Forbidden, Ru) => {
                "форма устарела или отправлена с другой страницы; обновите страницу и повторите".into()
            }
            (Forbidden, En) => {
                "the form is stale or came from another page; reload the page and try again".into()
            }
            (RateLimited(s), Kk) => format!("сұраныстар тым көп; {s} секундтан кейін қайталаңыз"),
            (RateLimited(s), Ru) => format!("слишком много запросов; повторите через {s} с"),
            (RateLimited(s), En) => format!("too many requests; try again in {s} s"),
            (Busy(s), Kk) => format!("сервер бос емес; {s} секундтан кейін қайталаңыз"),
            (Busy(s), Ru) => format!("сервер занят; повторите через {s} с"),
            (Busy(s), En) => format!("the server is busy; try again in {s} s"),
            (PaperErased, Kk) => {
                "сақтау мерзімі өткендіктен бұл құжаттың PDF файлы жойылды; құжат код бойынша тексеріле береді".into()
            }
            (PaperErased, Ru) => {
                "PDF этого документа удалён по истечении срока хранения; документ по-прежнему проверяется по коду".into()
            }
            (PaperErased, En) => {
                "this paper's PDF was deleted after the retention period; the paper still verifies by its code".into()
            }
            (DiskFull, Kk) => {
                "сервердің дискісі толы: ештеңе сақталмады; әкімшіге хабарлаңыз, орын босағанда қайталаңыз".into()
            }
            (DiskFull, Ru) => {
                "диск сервера заполнен: ничего не сохранено; сообщите администратору и повторите, когда место освободится".into()
            }
            (DiskFull, En) => {
                "the server's disk is full: nothing was saved; tell the administrator and try again once space is freed".into()
            }
            (NotReissuable, Kk) => "тек жарамды немесе кері қайтарылған құжатты қайта беруге болады".into(),
            (NotReissuable, Ru) => "повторно выдать можно только действующий или отозванный документ".into(),
            (NotReissuable, En) => "only a valid or revoked document can be re-issued".into(),
            (ConflictOfInterest, Kk) => {
                "сарапшы өз ұйымының жұмысын бағалай алмайды (мүдделер қақтығысы)".into()
            }
            (ConflictOfInterest, Ru) => {
                "член жюри не может оценивать работу своей организации (конфликт интересов)".into()
            }
            (ConflictOfInterest, En) => {
                "a judge cannot score an entry from their own organization (conflict of interest)".into()
            }
            (CriteriaLocked, Kk) => "бағалар қойылған: критерийлерді өзгертуге болмайды".into(),
            (CriteriaLocked, Ru) => "оценки уже выставлены: критерии изменить нельзя".into(),
            (CriteriaLocked, En) => "scores were already given: the criteria cannot change".into(),
            (NoCriteria, Kk) => "алдымен бағалау критерийлерін беріңіз".into(),
            (NoCriteria, Ru) => "сначала задайте критерии оценивания".into(),
            (NoCriteria, En) => "set the scoring criteria first".into(),
            (StageHasEntries, Kk) => "бұл кезеңде қатысушылар бар: жеңімпаздар бір рет қана өтеді".into(),
            (StageHasEntries, Ru) => {
                "в этом этапе уже есть участники: победители переводятся один раз".into()
            }
            (StageHasEntries, En) => "this stage already has entries: winners advance once".into(),
            (Jury(message), lang) => message.text(lang),
            (Design(message), lang) => message.text(lang),
            (Portal(message), lang) => message.text(lang),
            (Stage(message), lang) => message.text(lang),
            (Reminder(message), lang) => message.text(lang),
            (MailOff, Kk) => "электрондық пошта бапталмаған: GRAMOTA_SMTP_HOST немесе [mail] беріңіз".into(),
            (MailOff, Ru) => "отправка почты не настроена: задайте GRAMOTA_SMTP_HOST или [mail]".into(),
            (MailOff, En) => "e-mail is not configured: set GRAMOTA_SMTP_HOST or [mail]".into(),
            (NothingToSend, Kk) => "жіберетін құжат жоқ: алдымен құжаттарды беріңіз".into(),
            (NothingToSend, Ru) => "нечего отправлять: сначала выдайте документы".into(),
            (NothingToSend, En) => "nothing to send: issue the documents first".into(),
            (NotResendable, Kk) => "хат әлі кезекте немесе жіберілуде".into(),
            (NotResendable, Ru) => "письмо ещё в очереди или отправляется".into(),
            (NotResendable, En) => "the message is still queued or being sent".into(),
            (Internal, Kk) => "ішкі қате; әрекетті қайталаңыз".into(),
            (Internal, Ru) => "внутренняя ошибка; повторите попытку".into(),
            (Internal, En) => "internal error; please try again".into(),
        }
    }
}
