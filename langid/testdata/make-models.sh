#!/usr/bin/env bash
# make-models.sh — regenerate the tiny fastText models and golden predictions
# that langid's unit tests load (needs Debian's `fasttext` command):
#
#   tiny.bin     supervised, softmax, dim 8, char n-grams 2-4, 2,000 buckets
#   tiny.ftz     the same quantized with norms (-qnorm) and a pruned dictionary
#   probe.txt    lines to predict
#   golden.txt   `fasttext predict-prob MODEL probe.txt 2` for each model,
#                prefixed with the model's file name
#
# train.txt is written by this script: short sentences in four languages,
# written for winnow (public domain), nothing taken from elsewhere.
set -euo pipefail
cd "$(dirname "$0")"

cat > train.txt <<'TXT'
__label__en the weather is nice today and we walk to the park
__label__en my brother reads a book every evening before he sleeps
__label__en please close the window because the room is cold
__label__en the children are playing in the garden with the dog
__label__en we will take the train to the city tomorrow morning
__label__en she writes letters to her friends every week
__label__en this house has a big kitchen and three bedrooms
__label__en the shop on the corner sells fresh bread and milk
__label__en i think that the meeting starts at nine o'clock
__label__en they have been waiting for the bus for an hour
__label__fr il fait beau aujourd'hui et nous marchons vers le parc
__label__fr mon frère lit un livre chaque soir avant de dormir
__label__fr fermez la fenêtre s'il vous plaît parce que la pièce est froide
__label__fr les enfants jouent dans le jardin avec le chien
__label__fr nous prendrons le train pour la ville demain matin
__label__fr elle écrit des lettres à ses amies chaque semaine
__label__fr cette maison a une grande cuisine et trois chambres
__label__fr le magasin du coin vend du pain frais et du lait
__label__fr je pense que la réunion commence à neuf heures
__label__fr ils attendent le bus depuis une heure
__label__de das wetter ist heute schön und wir gehen in den park
__label__de mein bruder liest jeden abend ein buch bevor er schläft
__label__de bitte schließ das fenster weil das zimmer kalt ist
__label__de die kinder spielen mit dem hund im garten
__label__de wir nehmen morgen früh den zug in die stadt
__label__de sie schreibt ihren freundinnen jede woche briefe
__label__de dieses haus hat eine große küche und drei schlafzimmer
__label__de der laden an der ecke verkauft frisches brot und milch
__label__de ich glaube dass die sitzung um neun uhr beginnt
__label__de sie warten seit einer stunde auf den bus
__label__es hoy hace buen tiempo y caminamos hacia el parque
__label__es mi hermano lee un libro cada noche antes de dormir
__label__es por favor cierra la ventana porque la habitación está fría
__label__es los niños juegan en el jardín con el perro
__label__es mañana por la mañana tomaremos el tren a la ciudad
__label__es ella escribe cartas a sus amigas cada semana
__label__es esta casa tiene una cocina grande y tres dormitorios
__label__es la tienda de la esquina vende pan fresco y leche
__label__es creo que la reunión empieza a las nueve
__label__es llevan una hora esperando el autobús
TXT

cat > probe.txt <<'TXT'
the dog sleeps in the kitchen every evening
le chien dort dans la cuisine chaque soir
der hund schläft jeden abend in der küche
el perro duerme en la cocina cada noche
unknownword xyzzy plugh

Grüße aus München, später mehr über die Straße
 spaces  and	tabs   between   words 
__label__fr only a label-like token and words
TXT

fasttext supervised -input train.txt -output tiny -dim 8 -bucket 2000 -minn 2 -maxn 4 \
	-loss softmax -epoch 50 -lr 0.5 -thread 1 -seed 1 -verbose 0
fasttext quantize -input train.txt -output tiny -qnorm -cutoff 300 -thread 1 -verbose 0
rm -f tiny.vec
: > golden.txt
for m in tiny.bin tiny.ftz; do
	fasttext predict-prob "$m" probe.txt 2 | sed "s/^/$m\t/" >> golden.txt
done
ls -l tiny.bin tiny.ftz
