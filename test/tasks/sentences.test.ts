import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { splitSentences } from '../../pipelines/tasks/mcq/sentences.ts';

const split = suite('splitSentences');

split('splits after . ! ? before a capital or digit, not inside 6.8 or 4.2.0', () => {
  assert.equal(splitSentences('Salinity was 6.8 ppt. Version 4.2.0 shipped! 12 teams came? yes.'), ['Salinity was 6.8 ppt.', 'Version 4.2.0 shipped!', '12 teams came? yes.']);
});

split('scraped text with no space after the period splits at the capitalised word', () => {
  const scraped = 'Chie Tanaka was born in Osaka in 1912.Chie was the eldest of five.She moved to Kyoto,where she studied weaving.Why?Nobody knows!Her loom is kept at the Nishijin museum.';
  assert.equal(splitSentences(scraped), [
    'Chie Tanaka was born in Osaka in 1912.', 'Chie was the eldest of five.', 'She moved to Kyoto,where she studied weaving.', 'Why?', 'Nobody knows!', 'Her loom is kept at the Nishijin museum.',
  ]);
});

split('decimals, versions, initials, titles and Latin abbreviations do not end a sentence', () => {
  assert.equal(splitSentences('Pi is about 3.14 and the release is v4.2.0 now. The U.S. Army paid J. R. Smith 2.5 million. Dr. Tanaka met Prof. Ito, e.g. at the U.K. embassy, i.e. in Tokyo. Smith et al. (2020) agree.'), [
    'Pi is about 3.14 and the release is v4.2.0 now.', 'The U.S. Army paid J. R. Smith 2.5 million.', 'Dr. Tanaka met Prof. Ito, e.g. at the U.K. embassy, i.e. in Tokyo.', 'Smith et al. (2020) agree.',
  ]);
  assert.equal(splitSentences('See Fig. 3 and No. 12 from Jan. 5. Figures follow. It ended in 1999. 40 people came.'), ['See Fig. 3 and No. 12 from Jan. 5.', 'Figures follow.', 'It ended in 1999.', '40 people came.']);
  assert.equal(splitSentences('The relay on feeder B. 18,400 customers lost supply.'), ['The relay on feeder B.', '18,400 customers lost supply.'], 'a letter before a number is not an initial');
});

split('periods inside URLs and email addresses end nothing; the one after them does', () => {
  assert.equal(splitSentences('The report is at https://example.org/Reports/Q3.Summary.pdf. Write to chie.Tanaka@example.jp.Replies take a week. See www.Example.com/A.B too.'), [
    'The report is at https://example.org/Reports/Q3.Summary.pdf.', 'Write to chie.Tanaka@example.jp.', 'Replies take a week.', 'See www.Example.com/A.B too.',
  ]);
});

split('closing quotes stay with their sentence; ellipses, CJK full stops and blank lines end one', () => {
  assert.equal(splitSentences('He said "Stop." Then he left (quietly.) Later… Much later.'), ['He said "Stop."', 'Then he left (quietly.)', 'Later…', 'Much later.']);
  assert.equal(splitSentences('東京で生まれました。京都へ行きました！'), ['東京で生まれました。', '京都へ行きました！']);
  assert.equal(splitSentences('Chapter One\n\nIt began in Osaka\nand ended in Kyoto'), ['Chapter One', 'It began in Osaka\nand ended in Kyoto']);
  assert.equal(splitSentences('  \n '), []);
});

split.run();
