import { defineMessages } from '../i18n.js';

/** The page's frame: title, tabs, the language switcher, link errors. */
export const appMessages = defineMessages({
  en: {
    title: 'scratchnet playground',
    intro:
      'Deep Learning from Scratch in the browser: draw a digit, look inside the network, train one, and see chapters 4 and 6 in pictures.',
    tabDraw: 'Draw',
    tabInside: 'Look inside',
    tabTrain: 'Train',
    tabChapter4: 'Chapter 4',
    tabChapter6: 'Chapter 6',
    views: 'Views',
    language: 'Language',
    linkIgnored: "Some of the link's settings were ignored:",
  },
  ko: {
    title: 'scratchnet 플레이그라운드',
    intro:
      '브라우저에서 만나는 『밑바닥부터 시작하는 딥러닝』: 숫자를 그리고, 신경망의 속을 들여다보고, 직접 학습시키고, 4장과 6장을 그림으로 봅니다.',
    tabDraw: '그리기',
    tabInside: '속 들여다보기',
    tabTrain: '학습',
    tabChapter4: '4장',
    tabChapter6: '6장',
    views: '화면',
    language: '언어',
    linkIgnored: '링크의 설정 중 일부를 무시했습니다:',
  },
  ja: {
    title: 'scratchnet プレイグラウンド',
    intro:
      'ブラウザで動く『ゼロから作るDeep Learning』：数字を描き、ニューラルネットワークの中をのぞき、自分で学習させ、4章と6章を図で見ます。',
    tabDraw: '描く',
    tabInside: '中をのぞく',
    tabTrain: '学習',
    tabChapter4: '4章',
    tabChapter6: '6章',
    views: '表示',
    language: '言語',
    linkIgnored: 'リンクの設定の一部を無視しました：',
  },
});
