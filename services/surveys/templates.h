#pragma once
// The instruments as templates of the one survey model, with their texts
// verbatim:
//   kStars / kStarsPage  Designers Italia's rating: 1-5 stars ("Quanto è stato
//                        facile per te concludere questa procedura?", or on a
//                        page "Quanto sono chiare le informazioni su questa
//                        pagina?"); below 4 "Dove hai incontrato le maggiori
//                        difficoltà?", from 4 "Quali sono stati gli aspetti che
//                        hai preferito?", five reasons each ending in "Altro";
//                        then "Vuoi aggiungere altri dettagli?" (200 characters).
//   kFaces               "Mettiamoci la faccia": red, yellow, green (1..3), and
//                        the reasons after a red face.
//   kNps                 0-10 "would you recommend", an optional why.
//   kPostResolution      solved (yes, partly, no), handling 1-5, a comment.
//   kQuestionnaire / kNone  no questions: the author writes them.
// Pure domain code.
#include "services/surveys/model.h"

namespace sportello::surveys {

// A draft survey with the template's title, questions and headline; the
// caller sets the tenant and may replace the title.
Survey FromTemplate(Template t);

}  // namespace sportello::surveys
