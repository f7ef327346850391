/**
 * The demo company: 40 people in 4 departments, each led by a head with team leads under them
 * (a reporting line two levels deep), realistic Japanese names with kana and a few non-Japanese ones.
 * One account per role is listed in DEMO_ACCOUNTS; every demo person has the password DEMO_PASSWORD.
 */
import type { GrantedRole } from "../schema/org";

export const DEMO_PASSWORD = "manabi-demo";

export type DemoDepartment = { id: string; code: string; nameJa: string; nameEn: string };
export type DemoPerson = {
  key: string;
  email: string;
  family: string;
  given: string;
  familyKana: string;
  givenKana: string;
  familyEn: string;
  givenEn: string;
  department: string;
  manager: string | null;
  roles?: GrantedRole[];
  language?: "ja" | "en";
};

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { id: "dept-sales", code: "SALES", nameJa: "営業本部", nameEn: "Sales" },
  { id: "dept-product", code: "PRODUCT", nameJa: "製品開発部", nameEn: "Product Development" },
  { id: "dept-hr", code: "HR", nameJa: "人事部", nameEn: "Human Resources" },
  { id: "dept-dx", code: "DX", nameJa: "DX推進部", nameEn: "Digital Transformation" },
];

// key, family, given, familyKana, givenKana, familyEn, givenEn, department, manager key
type Row = [string, string, string, string, string, string, string, string, string | null];

const ROWS: Row[] = [
  // Sales: head → two team leads → members
  ["tanaka", "田中", "浩", "たなか", "ひろし", "Tanaka", "Hiroshi", "dept-sales", null],
  ["yamamoto", "山本", "大輔", "やまもと", "だいすけ", "Yamamoto", "Daisuke", "dept-sales", "tanaka"],
  ["clark", "クラーク", "エミリー", "くらーく", "えみりー", "Clark", "Emily", "dept-sales", "tanaka"],
  ["sato", "佐藤", "美咲", "さとう", "みさき", "Sato", "Misaki", "dept-sales", "yamamoto"],
  ["nakamura", "中村", "翔太", "なかむら", "しょうた", "Nakamura", "Shota", "dept-sales", "yamamoto"],
  ["kobayashi", "小林", "愛", "こばやし", "あい", "Kobayashi", "Ai", "dept-sales", "yamamoto"],
  ["kato", "加藤", "陽菜", "かとう", "ひな", "Kato", "Hina", "dept-sales", "yamamoto"],
  ["yoshida", "吉田", "拓也", "よしだ", "たくや", "Yoshida", "Takuya", "dept-sales", "yamamoto"],
  ["yamada", "山田", "花子", "やまだ", "はなこ", "Yamada", "Hanako", "dept-sales", "clark"],
  ["sasaki", "佐々木", "蓮", "ささき", "れん", "Sasaki", "Ren", "dept-sales", "clark"],
  ["matsumoto", "松本", "結衣", "まつもと", "ゆい", "Matsumoto", "Yui", "dept-sales", "clark"],
  ["inoue", "井上", "悠真", "いのうえ", "ゆうま", "Inoue", "Yuma", "dept-sales", "clark"],
  ["sharma", "シャルマ", "ラフル", "しゃるま", "らふる", "Sharma", "Rahul", "dept-sales", "clark"],
  ["kimura", "木村", "さくら", "きむら", "さくら", "Kimura", "Sakura", "dept-sales", "clark"],
  // Product development
  ["watanabe", "渡辺", "誠", "わたなべ", "まこと", "Watanabe", "Makoto", "dept-product", null],
  ["hayashi", "林", "直樹", "はやし", "なおき", "Hayashi", "Naoki", "dept-product", "watanabe"],
  ["wang", "王", "芳", "わん", "ふぁん", "Wang", "Fang", "dept-product", "watanabe"],
  ["shimizu", "清水", "健太", "しみず", "けんた", "Shimizu", "Kenta", "dept-product", "hayashi"],
  ["yamaguchi", "山口", "優子", "やまぐち", "ゆうこ", "Yamaguchi", "Yuko", "dept-product", "hayashi"],
  ["mori", "森", "大樹", "もり", "だいき", "Mori", "Daiki", "dept-product", "hayashi"],
  ["ikeda", "池田", "真由", "いけだ", "まゆ", "Ikeda", "Mayu", "dept-product", "hayashi"],
  ["hashimoto", "橋本", "亮", "はしもと", "りょう", "Hashimoto", "Ryo", "dept-product", "hayashi"],
  ["abe", "阿部", "美穂", "あべ", "みほ", "Abe", "Miho", "dept-product", "wang"],
  ["ishikawa", "石川", "隼", "いしかわ", "はやと", "Ishikawa", "Hayato", "dept-product", "wang"],
  ["kim", "キム", "ミンジ", "きむ", "みんじ", "Kim", "Minji", "dept-product", "wang"],
  ["maeda", "前田", "葵", "まえだ", "あおい", "Maeda", "Aoi", "dept-product", "wang"],
  // Human resources (the HR demo account has no reports)
  ["saito", "斎藤", "恵子", "さいとう", "けいこ", "Saito", "Keiko", "dept-hr", null],
  ["suzuki", "鈴木", "直子", "すずき", "なおこ", "Suzuki", "Naoko", "dept-hr", "saito"],
  ["okada", "岡田", "修", "おかだ", "おさむ", "Okada", "Osamu", "dept-hr", "saito"],
  ["fujita", "藤田", "由美", "ふじた", "ゆみ", "Fujita", "Yumi", "dept-hr", "saito"],
  ["goto", "後藤", "慎也", "ごとう", "しんや", "Goto", "Shinya", "dept-hr", "saito"],
  ["hasegawa", "長谷川", "彩", "はせがわ", "あや", "Hasegawa", "Aya", "dept-hr", "saito"],
  // Digital transformation (home of the AI Center of Excellence). The author and admin demo
  // accounts have no reports, so each demo account shows exactly its own role.
  ["ogawa", "小川", "隆", "おがわ", "たかし", "Ogawa", "Takashi", "dept-dx", null],
  ["takahashi", "高橋", "健一", "たかはし", "けんいち", "Takahashi", "Kenichi", "dept-dx", "ogawa"],
  ["ito", "伊藤", "翔", "いとう", "しょう", "Ito", "Sho", "dept-dx", "ogawa"],
  ["murakami", "村上", "千尋", "むらかみ", "ちひろ", "Murakami", "Chihiro", "dept-dx", "ogawa"],
  ["kondo", "近藤", "圭", "こんどう", "けい", "Kondo", "Kei", "dept-dx", "ogawa"],
  ["ishii", "石井", "智子", "いしい", "ともこ", "Ishii", "Tomoko", "dept-dx", "ogawa"],
  ["sakamoto", "坂本", "颯", "さかもと", "はやて", "Sakamoto", "Hayate", "dept-dx", "ogawa"],
  ["muller", "ミュラー", "ダヴィド", "みゅらー", "だゔぃど", "Müller", "David", "dept-dx", "ogawa"],
];

/** The five accounts printed at start-up, one per role. */
export const DEMO_ACCOUNTS: { email: string; role: "learner" | "manager" | "hr" | "author" | "admin"; key: string }[] = [
  { email: "learner@example.com", role: "learner", key: "sato" },
  { email: "manager@example.com", role: "manager", key: "tanaka" },
  { email: "hr@example.com", role: "hr", key: "suzuki" },
  { email: "author@example.com", role: "author", key: "takahashi" },
  { email: "admin@example.com", role: "admin", key: "ito" },
];

const EXTRA_ROLES: Record<string, GrantedRole[]> = {
  suzuki: ["hr"],
  saito: ["hr"],
  takahashi: ["author"],
  murakami: ["author"],
  ito: ["admin"],
};

const ENGLISH_SPEAKERS = new Set(["clark", "sharma", "muller"]);

function romaji(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

export const DEMO_PEOPLE: DemoPerson[] = ROWS.map(([key, family, given, familyKana, givenKana, familyEn, givenEn, department, manager]) => {
  const account = DEMO_ACCOUNTS.find((a) => a.key === key);
  const isJapaneseScript = !/^[\u30a0-\u30ff]+$/.test(family);
  return {
    key,
    email: account?.email ?? `${romaji(givenEn)}.${romaji(familyEn)}@example.com`,
    // Japanese names are stored as written; non-Japanese ones in their own script, with kana for sorting.
    family: isJapaneseScript ? family : familyEn,
    given: isJapaneseScript ? given : givenEn,
    familyKana,
    givenKana,
    familyEn,
    givenEn,
    department,
    manager,
    roles: EXTRA_ROLES[key] ?? [],
    language: ENGLISH_SPEAKERS.has(key) ? "en" : undefined,
  };
});
