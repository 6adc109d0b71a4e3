// What a cosine means depends on the model: unrelated sentences score about 0.1 with one
// model and 0.8 with another. So the memory learns each model's scale once per process,
// from fixed pairs of a question and the note that answers it (in Russian, English and
// across them): the mean cosine of matching pairs is "related", of mismatched pairs
// "unrelated". Scores are then measured on that scale, and one threshold fits every model.
import type { EmbeddingProvider } from './embeddings.ts';

export interface Calibration {
  model: string;
  /** Mean cosine of a question and a note that does not answer it. */
  unrelated: number;
  /** Mean cosine of a question and the note that answers it. */
  related: number;
}

/** Not the benchmark's corpus: other people, other topics. */
const PAIRS: Array<[question: string, note: string]> = [
  ['Which airport does Pavel fly from?', 'Pavel always flies out of Gatwick'],
  ['What size shoes does my son wear?', 'Son wears kids shoe size 31'],
  ['When is the plumber coming?', 'The plumber comes on the 14th between 9 and 12'],
  ['What is the name of our accountant?', 'Our accountant is Helen Brooks'],
  ['Where did I park the bike?', 'Bike is locked at the station rack, level 2'],
  ['Какой у меня размер кольца?', 'Размер кольца 17,5'],
  ['Когда у Димы день рождения?', 'У Димы день рождения 9 мая'],
  ['Какой пароль от роутера на даче?', 'Роутер на даче: пароль на наклейке снизу'],
  ['Где лежат документы на машину?', 'Документы на машину в синей папке в шкафу'],
  ['Что любит есть наш пёс?', 'Пёс Рекс ест только сухой корм'],
  ['What language does Mehmet speak?', 'Мехмет говорит по-турецки и по-немецки'],
  ['Когда истекает гарантия на ноутбук?', 'Laptop warranty ends in November 2027'],
  ['Which hotel do we use in Madrid?', 'В Мадриде всегда останавливаемся в отеле Urban'],
  ['Как зовут учительницу сына?', "My son's teacher is Ms Patel"],
  ['What allergy does my niece have?', 'У племянницы аллергия на кошек'],
  ['Who fixes our car?', 'Машину чинит Артур в сервисе на Лесной'],
];

export async function calibrate(embeddings: EmbeddingProvider): Promise<Calibration> {
  const vectors = await embeddings.embed(PAIRS.flat());
  const questions = vectors.filter((_, i) => i % 2 === 0);
  const notes = vectors.filter((_, i) => i % 2 === 1);
  let related = 0;
  let unrelated = 0;
  for (let i = 0; i < questions.length; i++) {
    for (let j = 0; j < notes.length; j++) {
      const cos = dot(questions[i]!, notes[j]!);
      if (i === j) related += cos;
      else unrelated += cos;
    }
  }
  const n = questions.length;
  return { model: embeddings.model, related: related / n, unrelated: unrelated / (n * (n - 1)) };
}

/** A cosine on the model's own scale: 0 is what unrelated texts score, 1 what a matching note scores. */
export function semanticScore(cosine: number, calibration: Calibration): number {
  const span = calibration.related - calibration.unrelated;
  return span > 0 ? (cosine - calibration.unrelated) / span : cosine;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
