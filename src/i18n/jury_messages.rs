//! What the jury's calls say when something is wrong: sign-off, chair, score sheets by upload.

use super::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JuryMessage {
    SignedOff,
    NotChair,
    NoJudges,
    UnknownJudge(String),
    JudgeNeeded,
    NoEntryColumn,
    NoCriterionColumns,
    MissingCriterion(String),
    UnknownEntryNumber(String),
    UnknownEntryName(String),
    AmbiguousName(String),
    NumberNameMismatch(String),
    NotPoints(String),
    NoPoints,
    PointsOutOfRange {
        given: String,
        max: u32,
    },
    OffStep {
        given: String,
        step: String,
    },
    NotAssigned,
    WaitingForScores(usize),
    NoEligibleJudges(usize),
    BlindNeedsNumber,
    SheetRepeated(usize),
    /// Returned for revision: no scores until the revised work comes.
    AwaitingRevision,
    /// Nothing to return: no judge has scored the entry in this round.
    NotReviewedYet,
    /// The entry is not waiting for a revised work.
    NotInRevision,
    /// The entry has papers: its review is over.
    EntryHasPapers,
    /// The chair's order names entries that are not exactly one tie left for the chair.
    NotATie,
}

impl JuryMessage {
    pub fn text(&self, lang: Lang) -> String {
        use JuryMessage::*;
        use Lang::*;
        match (self, lang) {
            (SignedOff, Kk) => {
                "хаттамаға қазылар алқасының төрағасы қол қойды: бағаларды өзгертуге болмайды".into()
            }
            (SignedOff, Ru) => "протокол подписан председателем жюри: оценки изменить нельзя".into(),
            (SignedOff, En) => "the jury chair signed the protocol off: scores cannot change".into(),
            (NotChair, Kk) => "хаттамаға тек қазылар алқасының төрағасы қол қояды".into(),
            (NotChair, Ru) => "подписать протокол может только председатель жюри".into(),
            (NotChair, En) => "only the jury chair can sign the protocol off".into(),
            (NoJudges, Kk) => "қазылар алқасы тағайындалмаған".into(),
            (NoJudges, Ru) => "жюри не назначено".into(),
            (NoJudges, En) => "no judges were appointed".into(),
            (UnknownJudge(n), Kk) => format!("«{n}» қазылар алқасының мүшесі емес"),
            (UnknownJudge(n), Ru) => format!("«{n}» не является членом жюри"),
            (UnknownJudge(n), En) => format!("\"{n}\" is not a judge of this competition"),
            (JudgeNeeded, Kk) => {
                "қай сарапшының бағалары екенін көрсетіңіз: ?judge= немесе «Сарапшы» бағаны".into()
            }
            (JudgeNeeded, Ru) => "укажите, чьи это оценки: ?judge= или столбец «Эксперт»".into(),
            (JudgeNeeded, En) => "say whose scores these are: ?judge= or a \"Judge\" column".into(),
            (NoEntryColumn, Kk) => "«№» немесе «Аты-жөні» бағаны табылмады".into(),
            (NoEntryColumn, Ru) => "не найден столбец «№» или «ФИО»".into(),
            (NoEntryColumn, En) => "no \"No.\" or \"Name\" column found".into(),
            (NoCriterionColumns, Kk) => "критерий атаулары бар тақырып жолы табылмады".into(),
            (NoCriterionColumns, Ru) => "не найдена строка заголовка с названиями критериев".into(),
            (NoCriterionColumns, En) => "no header row naming the criteria was found".into(),
            (MissingCriterion(c), Kk) => format!("«{c}» критерийінің бағаны жоқ"),
            (MissingCriterion(c), Ru) => format!("нет столбца критерия «{c}»"),
            (MissingCriterion(c), En) => format!("no column for the criterion \"{c}\""),
            (UnknownEntryNumber(n), Kk) => format!("тізімде {n} нөмірлі қатысушы жоқ"),
            (UnknownEntryNumber(n), Ru) => format!("в списке нет участника под номером {n}"),
            (UnknownEntryNumber(n), En) => format!("no entry number {n} in the list"),
            (UnknownEntryName(n), Kk) => format!("тізімде «{n}» жоқ"),
            (UnknownEntryName(n), Ru) => format!("в списке нет участника «{n}»"),
            (UnknownEntryName(n), En) => format!("\"{n}\" is not in the list"),
            (AmbiguousName(n), Kk) => format!("«{n}» тізімде бірнеше рет бар: «№» бағанын қосыңыз"),
            (AmbiguousName(n), Ru) => {
                format!("«{n}» встречается в списке несколько раз: добавьте столбец «№»")
            }
            (AmbiguousName(n), En) => format!("\"{n}\" is in the list more than once: add a \"No.\" column"),
            (NumberNameMismatch(n), Kk) => format!("бұл нөмірмен тізімде «{n}» тұр"),
            (NumberNameMismatch(n), Ru) => format!("под этим номером в списке «{n}»"),
            (NumberNameMismatch(n), En) => format!("this number in the list is \"{n}\""),
            (NotPoints(t), Kk) => format!("«{t}» балл емес: санмен жазыңыз, мысалы 7 немесе 0,5"),
            (NotPoints(t), Ru) => format!("«{t}» — не балл: укажите число, например 7 или 0,5"),
            (NotPoints(t), En) => format!("\"{t}\" is not points: write a number such as 7 or 0.5"),
            (OffStep { given, step }, Kk) => format!("{given}: бұл критерий {step} балл қадаммен бағаланады"),
            (OffStep { given, step }, Ru) => {
                format!("{given}: этот критерий оценивается с шагом {step} балла")
            }
            (OffStep { given, step }, En) => format!("{given}: this criterion is scored in steps of {step}"),
            (NotAssigned, Kk) => "бұл жұмыс сізге бағалауға берілмеген".into(),
            (NotAssigned, Ru) => "эта работа не назначена вам на оценку".into(),
            (NotAssigned, En) => "this entry is not assigned to you".into(),
            (WaitingForScores(n), Kk) => {
                format!("{n} жұмысты тағайындалған сарапшылардың бәрі әлі бағаламады")
            }
            (WaitingForScores(n), Ru) => format!("{n} работ ещё ждут оценок назначенных экспертов"),
            (WaitingForScores(n), En) => format!("{n} entries still wait for their assigned judges' scores"),
            (NoEligibleJudges(n), Kk) => format!("{n} жұмысқа мүдделер қақтығысы жоқ сарапшылар жетпейді"),
            (NoEligibleJudges(n), Ru) => {
                format!("для {n} работ не хватает экспертов без конфликта интересов")
            }
            (BlindNeedsNumber, Kk) => "жасырын сараптамада жұмыс тек «№» бойынша көрсетіледі".into(),
            (BlindNeedsNumber, Ru) => "при слепой экспертизе работа указывается только номером («№»)".into(),
            (BlindNeedsNumber, En) => {
                "in a blind review an entry is given by its number (\"No.\") only".into()
            }
            (NoEligibleJudges(n), En) => {
                format!("{n} entries lack enough judges without a conflict of interest")
            }
            (NoPoints, Kk) => {
                "балл қойылмаған: барлық критерий бойынша балл қойыңыз немесе жолды бос қалдырыңыз".into()
            }
            (NoPoints, Ru) => {
                "нет балла: поставьте баллы по всем критериям или оставьте строку пустой".into()
            }
            (NoPoints, En) => "no points: score every criterion or leave the row empty".into(),
            (PointsOutOfRange { given, max }, Kk) => {
                format!("{given} балл: 0-ден {max}-ге дейін болуы керек")
            }
            (PointsOutOfRange { given, max }, Ru) => format!("{given} баллов: должно быть от 0 до {max}"),
            (PointsOutOfRange { given, max }, En) => format!("{given} points: must be 0 to {max}"),
            (SheetRepeated(r), Kk) => format!("бұл сарапшының бұл қатысушыға бағасы {r}-жолда бар"),
            (SheetRepeated(r), Ru) => format!("оценки этого эксперта этому участнику уже в строке {r}"),
            (SheetRepeated(r), En) => format!("this judge's scores for this entry are already in row {r}"),
            (AwaitingRevision, Kk) => {
                "жұмыс пысықтауға қайтарылды: жаңа нұсқасы келгенше бағалауға болмайды".into()
            }
            (AwaitingRevision, Ru) => {
                "работа возвращена на доработку: оценить её можно, когда придёт новая версия".into()
            }
            (AwaitingRevision, En) => {
                "the work was returned for revision: it can be scored once the revised work comes".into()
            }
            (NotReviewedYet, Kk) => "бұл турда жұмысты әлі бірде-бір сарапшы бағаламады".into(),
            (NotReviewedYet, Ru) => "в этом туре работу ещё не оценил ни один эксперт".into(),
            (NotReviewedYet, En) => "no judge has scored this entry in this round yet".into(),
            (NotInRevision, Kk) => "жұмыс пысықтауда емес".into(),
            (NotInRevision, Ru) => "работа не на доработке".into(),
            (NotInRevision, En) => "the entry is not out for revision".into(),
            (EntryHasPapers, Kk) => "жұмысқа құжаттар берілді: сараптама аяқталды".into(),
            (EntryHasPapers, Ru) => "по работе уже выданы документы: экспертиза завершена".into(),
            (EntryHasPapers, En) => "papers were issued for this entry: its review is over".into(),
            (NotATie, Kk) => {
                "ретті бір теңдіктің барлық жұмыстары үшін беріңіз: ереже ажырата алмаған, орны бірдей жұмыстар".into()
            }
            (NotATie, Ru) => {
                "укажите порядок для всех работ одного равенства: с одинаковым местом, которые правило не различило".into()
            }
            (NotATie, En) => {
                "give the order of every entry of one tie: those sharing a place the tie rule could not tell apart".into()
            }
        }
    }
}
