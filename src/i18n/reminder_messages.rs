//! What reminding a late jury member (`crate::reminders`) says when it refuses, in three languages.

use super::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderMessage {
    /// The judge has scored every entry given to them.
    NotLate { judge: String },
    /// The judge sits for no account with an address (made with a token only, or disabled).
    NoAddress { judge: String },
    /// The judge was reminded less than `hours` ago; the next reminder can go at `next_at` (UTC).
    TooSoon {
        judge: String,
        hours: i64,
        next_at: String,
    },
}

impl ReminderMessage {
    pub fn text(&self, lang: Lang) -> String {
        use Lang::*;
        use ReminderMessage::*;
        match (self, lang) {
            (NotLate { judge }, Kk) => format!("{judge} өзіне берілген барлық жұмысты бағалады: еске салудың қажеті жоқ"),
            (NotLate { judge }, Ru) => format!("{judge} оценил(а) все данные ему работы: напоминать не о чем"),
            (NotLate { judge }, En) => format!("{judge} has scored every entry given to them: nothing to remind of"),
            (NoAddress { judge }, Kk) => format!("{judge} e-mail мекенжайы бар тіркелгімен отырмайды (тек токенмен қосылған немесе тіркелгі бұғатталған): хат жіберуге болмайды"),
            (NoAddress { judge }, Ru) => format!("у {judge} нет учётной записи с адресом e-mail (добавлен(а) только по токену или учётная запись заблокирована): письмо отправить некуда"),
            (NoAddress { judge }, En) => format!("{judge} sits for no account with an e-mail address (added by token only, or the account is disabled): there is nowhere to send"),
            (TooSoon { judge, hours, next_at }, Kk) => format!("{judge} мүшесіне соңғы {hours} сағатта еске салынды: келесі еске салу {next_at} (UTC) кейін мүмкін"),
            (TooSoon { judge, hours, next_at }, Ru) => format!("{judge} уже напоминали за последние {hours} часов: следующее напоминание можно отправить после {next_at} (UTC)"),
            (TooSoon { judge, hours, next_at }, En) => format!("{judge} was reminded within the last {hours} hours: the next reminder can go after {next_at} (UTC)"),
        }
    }
}
