// A bilingual memory, written the way an owner's MEMORY.md grows: a Russian-speaking
// owner living in Lisbon who writes to the assistant in Russian and English, facts about
// herself and about people (under "## About <name> (id …)"), and what she would ask.
// Every query names the fact(s) that answer it; no-answer queries and small talk name none.

export interface CorpusFact {
  key: string;
  text: string;
}

export interface CorpusPerson {
  name: string;
  id: number;
  facts: CorpusFact[];
}

export type QueryKind = 'same-language' | 'cross-language' | 'name' | 'paraphrase' | 'identifier';

export interface CorpusQuery {
  text: string;
  /** The fact that answers it (any one of several, when several do). */
  answers: string[];
  kind: QueryKind;
}

export interface OwnerMessage {
  text: string;
  /** The memories that would help the assistant answer; empty for small talk. */
  relevant: string[];
}

export const OWNER_FACTS: CorpusFact[] = [
  { key: 'coffee', text: 'I drink a flat white with oat milk every morning' },
  { key: 'dentist', text: 'My dentist is Dr. Almeida at Clínica Sorriso, Rua Augusta 12' },
  { key: 'passport', text: 'Passport number 75 1234567, expires 14 March 2031' },
  { key: 'car', text: 'Our car is a silver Skoda Octavia, plate AA-12-BC' },
  { key: 'allergy', text: "I'm allergic to penicillin" },
  { key: 'gym', text: 'Gym on Tuesdays and Thursdays at 7am with trainer Marco' },
  { key: 'seats', text: 'Prefer aisle seats on flights longer than three hours' },
  { key: 'airline', text: 'Frequent flyer number TP 884 221 903 with TAP' },
  { key: 'budget', text: 'The Q4 marketing budget is capped at 40,000 euros' },
  { key: 'board', text: 'Board meeting is the first Monday of every month at 10:00' },
  { key: 'moved', text: 'I moved to Lisbon in September 2024' },
  { key: 'landlord', text: 'The landlord of the Lisbon flat is Senhor Costa; rent is due on the 5th' },
  { key: 'marathon', text: 'Training for the Porto half marathon in May' },
  { key: 'vitamins', text: 'Taking vitamin D and magnesium every evening' },
  { key: 'school', text: "My daughter Masha goes to St. Julian's School, pickup at 15:30" },
  { key: 'piano', text: 'Masha has piano lessons on Wednesdays at 17:00' },
  { key: 'wine', text: 'Favourite wine is a Douro red, especially Quinta do Crasto' },
  { key: 'calls', text: 'Use Google Meet for external calls, never Zoom' },
  { key: 'atlas', text: 'Project Atlas: migrating billing to Stripe by the end of Q1' },
  { key: 'invoice', text: 'Invoice INV-2024-117 from Acme is still unpaid' },
  { key: 'book', text: "Reading 'Thinking, Fast and Slow' by Kahneman" },
  { key: 'sleep', text: "I go to bed around 23:30 and don't take calls after 22:00" },
  { key: 'portuguese', text: 'Portuguese lessons on Saturdays with teacher Inês' },
  { key: 'bank', text: 'Main bank is Millennium BCP; savings are at Revolut' },
  { key: 'mom', text: "Mom's birthday is 12 July; she loves orchids" },
  { key: 'hotel', text: 'In hotels I ask for a quiet room on a high floor' },
  { key: 'notes', text: "Meeting notes live in Notion, workspace 'Olga HQ'" },
  { key: 'vet', text: 'Our cat Barsik sees the vet at Clínica Veterinária Estrela' },
  { key: 'therapist', text: 'Мой терапевт — доктор Смирнова, приём по средам' },
  { key: 'parking', text: 'Паркую машину на уровне -2, место 117' },
  { key: 'tea', text: 'Вечером пью только травяной чай, без кофеина' },
  { key: 'sister', text: 'Сестра Аня живёт в Берлине, созваниваемся по воскресеньям' },
  { key: 'dacha', text: 'Дача под Тверью, ключи у соседа Михалыча' },
  { key: 'insurance', text: 'Страховка квартиры в Ингосстрахе, полис 00245-ИФ-22, действует до 1 декабря' },
  { key: 'pork', text: 'Не ем свинину и стараюсь есть меньше сахара' },
  { key: 'taxes', text: 'Налоговую декларацию в Португалии подаю до 30 июня' },
  { key: 'glasses', text: 'Очки для чтения +1,5; запасные лежат в машине' },
  { key: 'yoga', text: 'Йога по понедельникам в 19:00 в студии рядом с домом' },
  { key: 'service', text: 'ТО машины каждые 15 000 км, последнее было в августе' },
  { key: 'gift', text: 'Хочу подарить мужу Саше часы Garmin на годовщину' },
  { key: 'anniversary', text: 'Годовщина свадьбы — 3 октября' },
  { key: 'blood', text: 'Группа крови вторая положительная' },
  { key: 'parents', text: 'Родительское собрание в школе у Маши раз в четверть' },
  { key: 'cleaner', text: 'Уборщица Лусия приходит по пятницам, оплата 60 евро наличными' },
  { key: 'visa', text: 'Вид на жительство в Португалии продлевать в апреле 2026' },
];

export const PEOPLE: CorpusPerson[] = [
  {
    name: 'Иван Петров',
    id: 1001,
    facts: [
      { key: 'ivan-veg', text: 'Не ест мясо; для встреч выбирать вегетарианские места' },
      { key: 'ivan-cfo', text: 'Финансовый директор в Northwind, отвечает за бюджет' },
    ],
  },
  {
    name: 'John Miller',
    id: 1002,
    facts: [
      { key: 'john-cto', text: 'CTO at Northwind; decides on all infrastructure purchases' },
      { key: 'john-calls', text: 'Prefers calls before 11:00 his time (New York)' },
    ],
  },
  {
    name: 'Кенджи Сато',
    id: 1003,
    facts: [
      { key: 'kenji-osaka', text: 'Живёт в Осаке, по-русски не говорит, пишем по-английски' },
      { key: 'kenji-sake', text: 'Коллекционирует саке, любит подарки из Португалии' },
    ],
  },
  {
    name: 'Anna Schmidt',
    id: 1004,
    facts: [
      { key: 'anna-nuts', text: 'Allergic to nuts' },
      { key: 'anna-leo', text: 'Her son Leo turns 7 on 2 February' },
    ],
  },
  {
    name: 'Мария Иванова',
    id: 1005,
    facts: [
      { key: 'maria-vat', text: 'Бухгалтер, готовит отчётность по НДС каждый квартал' },
      { key: 'maria-phone', text: 'Телефон офиса +351 21 555 0199' },
    ],
  },
  {
    name: 'Алексей Кузнецов',
    id: 1006,
    facts: [{ key: 'alexey-debt', text: 'Занял у меня 500 евро в мае, обещал вернуть до августа' }],
  },
  {
    name: 'Tom Harris',
    id: 1007,
    facts: [{ key: 'tom-lawyer', text: 'Lawyer handling the apartment purchase; email tom@harrislaw.pt' }],
  },
];

export const QUERIES: CorpusQuery[] = [
  // English about English facts, in other words than the fact's.
  { text: 'what coffee do I like?', answers: ['coffee'], kind: 'paraphrase' },
  { text: 'when does my passport expire', answers: ['passport'], kind: 'same-language' },
  { text: 'which seat should I book on the plane?', answers: ['seats'], kind: 'paraphrase' },
  { text: 'what medicine am I allergic to?', answers: ['allergy'], kind: 'same-language' },
  { text: "what's the Q4 marketing budget", answers: ['budget'], kind: 'same-language' },
  { text: 'when is the board meeting', answers: ['board'], kind: 'same-language' },
  { text: 'who do I pay rent to?', answers: ['landlord'], kind: 'paraphrase' },
  { text: "when is Masha's piano lesson", answers: ['piano'], kind: 'same-language' },
  { text: 'what time do I pick up my daughter from school', answers: ['school'], kind: 'same-language' },
  { text: 'which video call tool do I use with clients', answers: ['calls'], kind: 'paraphrase' },
  { text: 'how is the Stripe migration going', answers: ['atlas'], kind: 'same-language' },
  { text: 'what book am I reading at the moment', answers: ['book'], kind: 'same-language' },
  { text: 'what flowers does my mother like', answers: ['mom'], kind: 'paraphrase' },
  { text: 'which race am I training for', answers: ['marathon'], kind: 'paraphrase' },
  { text: 'what supplements do I take', answers: ['vitamins'], kind: 'paraphrase' },
  { text: 'where is my dentist', answers: ['dentist'], kind: 'same-language' },
  // Exact identifiers.
  { text: 'INV-2024-117', answers: ['invoice'], kind: 'identifier' },
  { text: 'TP 884 221 903', answers: ['airline'], kind: 'identifier' },
  { text: 'AA-12-BC', answers: ['car'], kind: 'identifier' },
  { text: 'полис 00245-ИФ-22', answers: ['insurance'], kind: 'identifier' },
  // Russian about Russian facts.
  { text: 'Как зовут моего терапевта?', answers: ['therapist'], kind: 'same-language' },
  { text: 'Где я оставляю машину в паркинге?', answers: ['parking'], kind: 'paraphrase' },
  { text: 'Что я пью вечером?', answers: ['tea'], kind: 'same-language' },
  { text: 'Когда я созваниваюсь с сестрой?', answers: ['sister'], kind: 'same-language' },
  { text: 'У кого ключи от дачи?', answers: ['dacha'], kind: 'same-language' },
  { text: 'Что подарить Саше на годовщину?', answers: ['gift'], kind: 'same-language' },
  { text: 'Сколько я плачу уборщице?', answers: ['cleaner'], kind: 'same-language' },
  { text: 'До какого числа подать декларацию?', answers: ['taxes'], kind: 'same-language' },
  { text: 'Когда продлевать ВНЖ?', answers: ['visa'], kind: 'paraphrase' },
  // Across languages.
  { text: 'When is my yoga class?', answers: ['yoga'], kind: 'cross-language' },
  { text: "what's my blood type", answers: ['blood'], kind: 'cross-language' },
  { text: 'how much does the cleaner cost', answers: ['cleaner'], kind: 'cross-language' },
  { text: 'where are my spare reading glasses', answers: ['glasses'], kind: 'cross-language' },
  { text: 'when is the car due for a service', answers: ['service'], kind: 'cross-language' },
  { text: 'when is our wedding anniversary', answers: ['anniversary'], kind: 'cross-language' },
  { text: 'what should I avoid eating', answers: ['pork'], kind: 'cross-language' },
  { text: 'Какой у меня номер паспорта?', answers: ['passport'], kind: 'cross-language' },
  { text: 'На какое лекарство у меня аллергия?', answers: ['allergy'], kind: 'cross-language' },
  { text: 'Когда заседание совета директоров?', answers: ['board'], kind: 'cross-language' },
  { text: 'В какой школе учится Маша?', answers: ['school'], kind: 'cross-language' },
  { text: 'Какое вино я люблю?', answers: ['wine'], kind: 'cross-language' },
  { text: 'По каким дням у меня спортзал?', answers: ['gym'], kind: 'cross-language' },
  { text: 'Какой банк у меня основной?', answers: ['bank'], kind: 'cross-language' },
  // People, by name in either script and in other grammatical cases.
  { text: 'Обед с Иваном Петровым: куда пойти?', answers: ['ivan-veg'], kind: 'name' },
  { text: 'Ivan Petrov food preferences', answers: ['ivan-veg'], kind: 'name' },
  { text: 'Кто такой Джон Миллер?', answers: ['john-cto'], kind: 'name' },
  { text: 'кто CTO в Northwind?', answers: ['john-cto'], kind: 'name' },
  { text: 'what time can I call John', answers: ['john-calls'], kind: 'name' },
  { text: 'Where does Kenji live?', answers: ['kenji-osaka'], kind: 'name' },
  { text: 'gift for Kenji Sato', answers: ['kenji-sake'], kind: 'name' },
  { text: 'Шмидт аллергия', answers: ['anna-nuts'], kind: 'name' },
  { text: "When is Leo Schmidt's birthday?", answers: ['anna-leo'], kind: 'name' },
  { text: 'телефон Марии Ивановой', answers: ['maria-phone'], kind: 'name' },
  { text: 'How much does Kuznetsov owe me?', answers: ['alexey-debt'], kind: 'name' },
  { text: "Tom Harris's email", answers: ['tom-lawyer'], kind: 'name' },
];

/** Questions the memory cannot answer: recall must inject nothing. */
export const NO_ANSWER: string[] = [
  'What is the capital of Australia?',
  'When is my hairdresser appointment?',
  "What's the wifi password at the office?",
  'Who won the football match yesterday?',
  'Сколько стоит билет в Прадо?',
  'Как настроить VPN на ноутбуке?',
  "What's Elena's phone number?",
  'Посоветуй хороший фантастический фильм',
  "What's the weather in Porto tomorrow?",
  'Какой сегодня курс евро?',
  'Who is the CEO of Acme?',
  'Как зовут мужа Ани?',
];

/** What the owner writes in a day: small talk, and requests that some memories would help with. */
export const OWNER_MESSAGES: OwnerMessage[] = [
  { text: 'Thanks!', relevant: [] },
  { text: 'ok, sounds good', relevant: [] },
  { text: 'Привет! Как дела?', relevant: [] },
  { text: 'Спасибо, до завтра', relevant: [] },
  { text: 'Good morning :)', relevant: [] },
  { text: 'Book a table for lunch with Ivan Petrov on Friday', relevant: ['ivan-veg'] },
  { text: 'Напиши Джону, что созвон переносится на четверг', relevant: ['john-calls'] },
  { text: 'Order me a coffee on the way to the office', relevant: ['coffee'] },
  { text: 'Remind me to pay the cleaner on Friday', relevant: ['cleaner'] },
  { text: 'Find a restaurant for dinner with Anna Schmidt', relevant: ['anna-nuts'] },
  { text: 'Напомни про страховку квартиры за неделю до окончания', relevant: ['insurance'] },
  { text: 'Что купить маме на день рождения?', relevant: ['mom'] },
  { text: 'Schedule a call with Kenji next week, he prefers English', relevant: ['kenji-osaka'] },
  { text: 'Book me a flight to Berlin to see my sister', relevant: ['seats', 'sister', 'airline'] },
  { text: 'See you!', relevant: [] },
  { text: 'Пока!', relevant: [] },
  { text: 'Nice, thank you very much', relevant: [] },
  { text: 'ахах, понятно', relevant: [] },
  { text: 'Put the board meeting agenda on my calendar', relevant: ['board'] },
  { text: "What should I bring to Anna's son's birthday party?", relevant: ['anna-leo'] },
  { text: 'Запиши меня к стоматологу на следующей неделе', relevant: ['dentist'] },
  { text: 'Переведи Лусии деньги за уборку', relevant: ['cleaner'] },
  { text: 'Send Tom the signed purchase contract', relevant: ['tom-lawyer'] },
  { text: 'Забронируй мне отель в Мадриде на выходные', relevant: ['hotel'] },
  { text: 'Pay the Acme invoice today', relevant: ['invoice'] },
  { text: 'Draft an email to John about the new servers', relevant: ['john-cto'] },
];
