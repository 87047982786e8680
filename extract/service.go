package extract

// Service pages. A page offering a service or a product line (a firm's
// practice, a software's landing page, a council's department) is built of
// sections: a short introduction, then cards of offers, features, steps,
// testimonials and questions, each with a linked title or a "Find out more".
// Their reviewed text keeps every section, and the cards are as much the
// content as the introduction. Prose weighting counts the links of the
// cards against them and keeps the introduction alone; there, when the
// prose selection holds less than serviceMinShare of the page's text (the
// bar is lower, 0.3, on other pages), selectMain selects the page again
// with list weights, which keep the cards.
const serviceMinShare = 0.5

// cardLinkChars is the least mean text (bytes) per link of an element that
// cutLinkLists keeps on service pages as a group of cards, each a link
// wrapping a title and its description.
const cardLinkChars = 60
