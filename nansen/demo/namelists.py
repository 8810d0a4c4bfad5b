"""Built-in name lists for the synthetic demo caseload.

Common given names and family names per community, as anyone would list them; they are
combined at random and describe no real person. Arabic-script names are only *seeds*: their
frequency and their Latin spellings come from the real transliteration data in
``nansen/data/reference/names`` (see ``nansen.demo.names``); a seed the data does not know
is dropped.

Entries are written ``"Latin|original script"`` where the original script is not Latin, or
just ``"Latin"``. Earlier entries in a list are drawn more often (a Zipf-like weight), except
in the data-backed Arabic-script pools, where the counts in the data decide.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(","))


# --- Arabic-script seeds (Latin forms and weights come from the data) ----------------------

ARABIC_MALE = (
    *_words(
        "محمد أحمد علي حسن حسين خالد عمر يوسف إبراهيم مصطفى محمود سعيد صالح سامي كريم طارق "
        "ماجد وليد رامي فادي باسل عماد زياد نبيل حمزة أنس بلال جمال كمال عادل منير ناصر هاني "
        "مهند قاسم عثمان إسماعيل موسى عيسى سليمان داود جعفر عباس مازن وائل أيمن أسامة ياسر "
        "فراس سمير جميل رياض حيدر مهدي جاسم كاظم منصور حامد رشيد عزيز فيصل سلمان نادر شريف "
        "حسام هشام أشرف عصام إياد عمار معاذ يونس خليل سليم زكي"
    ),
    *_names("عبد الرحمن, عبد العزيز, عبد الرحيم, عبد المنعم, نور الدين"),
)

ARABIC_FEMALE = _words(
    "فاطمة مريم زينب عائشة سارة ليلى هدى أمل نور رانيا ريم سلمى هبة دينا رنا لينا منى سعاد "
    "خديجة آمنة حنان نادية سميرة جميلة ياسمين لمى رشا سناء وفاء إيمان أسماء صفاء رحاب غادة "
    "سهى نسرين شيماء آية"
)

# Family names. Those written with the article (nisbas such as الحلبي) may drop it in Latin
# letters: Al-Halabi, El-Halabi, Alhalabi, Halabi.
ARABIC_FAMILY = _words(
    "حداد نجار خوري الشامي الحلبي حمدان سلامة منصور درويش العبيدي نوري الخطيب المصري "
    "الزعبي عبيد سعد يونس عطية جابر صبري فرحات شاكر حجازي عمران زيدان هاشم حمود نحاس صباغ "
    "حسني الشهابي خليل نصر عوض عبده رزق سليم زكي فهمي رمضان شعبان بيطار"
)

# --- Persian, Dari, Pashto and Urdu: Arabic script, Latin form given, data adds variants ---

IRANIAN_MALE = _names(
    "Mohammad|محمد, Ali|علی, Reza|رضا, Hossein|حسین, Mehdi|مهدی, Amir|امیر, Saeed|سعید, "
    "Javad|جواد, Hamid|حمید, Majid|مجید, Hassan|حسن, Ahmad|احمد, Mostafa|مصطفی, "
    "Ebrahim|ابراهیم, Karim|کریم, Abbas|عباس, Jafar|جعفر, Akbar|اکبر, Mohsen|محسن, "
    "Farhad|فرهاد, Behzad|بهزاد, Kaveh|کاوه, Dariush|داریوش, Babak|بابک"
)
IRANIAN_FEMALE = _names(
    "Fatemeh|فاطمه, Zahra|زهرا, Maryam|مریم, Zeinab|زینب, Leila|لیلا, Shirin|شیرین, "
    "Narges|نرگس, Parvin|پروین, Sara|سارا, Mina|مینا, Nasrin|نسرین, Samira|سمیرا, "
    "Azadeh|آزاده, Elham|الهام, Mahnaz|مهناز"
)
IRANIAN_FAMILY = _names(
    "Mohammadi|محمدی, Hosseini|حسینی, Ahmadi|احمدی, Rezaei|رضایی, Karimi|کریمی, "
    "Jafari|جعفری, Rahimi|رحیمی, Mousavi|موسوی, Sadeghi|صادقی, Heidari|حیدری, "
    "Nouri|نوری, Ghasemi|قاسمی, Hashemi|هاشمی, Abbasi|عباسی, Akbari|اکبری, Moradi|مرادی, "
    "Kazemi|کاظمی, Salehi|صالحی"
)

AFGHAN_MALE = _names(
    "Mohammad|محمد, Ahmad|احمد, Ali|علی, Abdul|عبد, Nur|نور, Gul|گل, Hussain|حسین, "
    "Jawad|جواد, Farid|فرید, Najib|نجیب, Shafiq|شفیق, Rahim|رحیم, Zabiullah|ذبیح الله, "
    "Hamid|حمید, Mirwais|میرویس, Sayed|سید, Bilal|بلال, Omid|امید, Khalid|خالد, "
    "Jamshid|جمشید"
)
AFGHAN_FEMALE = _names(
    "Fatima|فاطمه, Zahra|زهرا, Maryam|مریم, Malalai|ملالی, Nazanin|نازنین, Farida|فریده, "
    "Shukria|شکریه, Zarghuna|زرغونه, Marzia|مرضیه, Laila|لیلا, Sima|سیما, Habiba|حبیبه, "
    "Nargis|نرگس, Roya|رویا"
)
AFGHAN_FAMILY = _names(
    "Ahmadzai|احمدزی, Safi|صافی, Mohammadi|محمدی, Hosseini|حسینی, Rahimi|رحیمی, "
    "Nouri|نوری, Karimi|کریمی, Amiri|امیری, Soltani|سلطانی, Heidari|حیدری, Rasuli|رسولی, "
    "Popal|پوپل, Stanikzai|استانکزی, Wardak|وردک, Jafari|جعفری"
)

URDU_MALE = _names(
    "Muhammad|محمد, Ali|علی, Ahmed|احمد, Imran|عمران, Usman|عثمان, Bilal|بلال, "
    "Hassan|حسن, Hussain|حسین, Faisal|فیصل, Asif|آصف, Irfan|عرفان, Kamran|کامران, "
    "Shahzad|شہزاد, Tariq|طارق, Nadeem|ندیم, Zubair|زبیر, Waqas|وقاص, Adnan|عدنان, "
    "Naveed|نوید, Sajid|ساجد"
)
URDU_FEMALE = _names(
    "Fatima|فاطمہ, Ayesha|عائشہ, Zainab|زینب, Maryam|مریم, Saima|صائمہ, Sadia|سعدیہ, "
    "Nazia|نازیہ, Rabia|رابعہ, Samina|ثمینہ, Shazia|شازیہ, Nasreen|نسرین, Asma|اسماء, "
    "Bushra|بشریٰ, Hina|حنا"
)
URDU_FAMILY = _names(
    "Khan|خان, Ahmed|احمد, Hussain|حسین, Malik|ملک, Iqbal|اقبال, Shah|شاہ, Akhtar|اختر, "
    "Qureshi|قریشی, Butt|بٹ, Chaudhry|چوہدری, Raza|رضا, Abbasi|عباسی, Javed|جاوید, "
    "Mahmood|محمود, Siddiqui|صدیقی"
)

# --- Other scripts and Latin-script communities ------------------------------------------

NEPALI_MALE = _names(
    "Ram|राम, Krishna|कृष्ण, Bikash|विकास, Suman|सुमन, Sunil|सुनिल, Dipak|दीपक, "
    "Rajesh|राजेश, Binod|विनोद, Santosh|सन्तोष, Prakash|प्रकाश, Hari|हरि, Bishnu|विष्णु, "
    "Kiran|किरण, Arjun|अर्जुन"
)
NEPALI_FEMALE = _names(
    "Sita|सीता, Gita|गीता, Sarita|सरिता, Anita|अनिता, Sunita|सुनिता, Laxmi|लक्ष्मी, "
    "Kamala|कमला, Sabina|सबिना, Puja|पूजा, Radha|राधा, Manisha|मनिषा"
)
NEPALI_FAMILY = _names(
    "Shrestha|श्रेष्ठ, Gurung|गुरुङ, Tamang|तामाङ, Magar|मगर, Rai|राई, Thapa|थापा, "
    "Karki|कार्की, Adhikari|अधिकारी, Sharma|शर्मा, Bhandari|भण्डारी, Poudel|पौडेल, "
    "Khadka|खड्का, Lama|लामा, Basnet|बस्नेत, Limbu|लिम्बु"
)

# Burmese names have no family name: two or three of these syllables make a person's name.
BURMESE_MALE = _names(
    "Aung|အောင်, Kyaw|ကျော်, Min|မင်း, Zaw|ဇော်, Htet|ထက်, Naing|နိုင်, Win|ဝင်း, "
    "Myint|မြင့်, Soe|စိုး, Tun|ထွန်း, Phyo|ဖြိုး, Thu|သူ, Ko|ကို, Hlaing|လှိုင်, "
    "Lwin|လွင်, Zin|ဇင်, Thet|သက်, Paing|ပိုင်, Htoo|ထူး"
)
BURMESE_FEMALE = _names(
    "Khin|ခင်, Hnin|နှင်း, Su|စု, May|မေ, Nwe|နွယ်, Mya|မြ, Phyu|ဖြူ, Ei|အိ, Moe|မိုး, "
    "Wai|ဝေ, Yu|ယု, Aye|အေး, San|စန်း, Myat|မြတ်, Mon|မွန်, Cho|ချို, Zar|ဇာ"
)

# Rohingya names: a first and a second given name, no family name.
ROHINGYA_MALE = _names(
    "Mohammed, Nur, Abdul, Rashid, Hamid, Anwar, Sayed, Kamal, Jamal, Hussain, Ismail, "
    "Yusuf, Rafiq, Salim, Zakir, Shamsul"
)
ROHINGYA_MALE_SECOND = _names(
    "Alam, Hussain, Islam, Ullah, Hossain, Ali, Ahmed, Amin, Karim, Haque, Rahman, Kabir"
)
ROHINGYA_FEMALE = _names(
    "Nur, Rashida, Hasina, Fatema, Jamila, Rahima, Shamsida, Minara, Sanjida, Rukia, Laila, Setara"
)
ROHINGYA_FEMALE_SECOND = _names("Begum, Khatun, Bibi, Akter, Jahan, Nisa")

# Chin and Kachin (Christian minorities of Myanmar): names of two or three syllables.
CHIN_MALE = _names(
    "Van, Lal, Thang, Cung, Bawi, Ngun, Sui, Mang, Za, Hre, Lian, Tin, Brang, Naw, Tu"
)
CHIN_FEMALE = _names("Par, Hniang, Tial, Zing, Sung, Mawi, Nu, Cer, Rem, Seng, Ja, Bawk, Lu")

SINHALA_MALE = _names(
    "Nuwan, Chaminda, Ruwan, Kasun, Dilshan, Sanjeewa, Tharindu, Lahiru, Pradeep, Nalin, "
    "Asanka, Chathura, Mahesh, Sampath"
)
SINHALA_FEMALE = _names(
    "Nadeesha, Dilani, Chathurika, Sanduni, Kumari, Anusha, Dilrukshi, Sewwandi, "
    "Madhavi, Nilmini, Ishara, Thilini"
)
SINHALA_FAMILY = _names(
    "Perera, Fernando, Silva, Jayasinghe, Bandara, Wickramasinghe, Gunawardena, "
    "Rathnayake, Dissanayake, Herath, Kumara, Senanayake, Jayawardena, Karunaratne, "
    "Weerasinghe"
)
TAMIL_MALE = _names(
    "Suresh, Kumaran, Tharshan, Sivakumar, Ramesh, Vijay, Ganesh, Prakash, Mathan, "
    "Kajan, Nirojan, Thayalan, Sutharsan, Jeyakumar"
)
TAMIL_FEMALE = _names(
    "Priya, Kavitha, Thulasi, Nirosha, Vasanthi, Sharmila, Kalaivani, Mathumitha, "
    "Tharshika, Yalini, Luxmi, Sangeetha"
)
# Tamil naming is patronymic; older generations carry names such as these.
TAMIL_FATHERS = _names(
    "Selvarajah, Sivalingam, Thambirajah, Kanagaratnam, Rajendran, Balasingham, "
    "Yogarajah, Mahendran, Sivapalan, Arumugam, Navaratnam, Paramanathan, Ponnambalam, "
    "Vigneswaran"
)

TURKISH_MALE = _names(
    "Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Murat, Emre, Yusuf, Ömer, "
    "Osman, Ramazan, Halil, Serkan, Burak"
)
TURKISH_FEMALE = _names(
    "Ayşe, Fatma, Emine, Hatice, Zeynep, Elif, Meryem, Şerife, Sultan, Zehra, Hanife, Merve, Özlem"
)
KURDISH_MALE = _names(
    "Mehmet, Ahmet, Welat, Rojhat, Serhat, Şivan, Azad, Baran, Diyar, Kawa, Berzan, "
    "Hozan, Rênas, Mahmut, Abdullah"
)
KURDISH_FEMALE = _names(
    "Berfin, Zozan, Dilan, Rojda, Nûjiyan, Hêvî, Rojîn, Berivan, Gulistan, Zelal, Helin, "
    "Perwin, Fatma, Ayşe"
)
TURKISH_FAMILY = _names(
    "Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Aydın, Özdemir, Arslan, Doğan, Kılıç, "
    "Aslan, Polat, Tekin, Keskin, Akgül, Tunç, Güneş, Bulut, Ekinci"
)

VIETNAMESE_MALE = _names(
    "Văn Hùng, Văn Minh, Đức Anh, Minh Tuấn, Quang Huy, Văn Nam, Hữu Phước, Thanh Tùng, "
    "Văn Long, Quốc Bảo, Văn Dũng, Hoàng Nam"
)
VIETNAMESE_FEMALE = _names(
    "Thị Lan, Thị Hương, Thị Mai, Ngọc Anh, Thanh Hà, Thị Thu, Thị Hoa, Thu Trang, "
    "Thị Ngọc, Kim Oanh, Thị Hằng, Phương Linh"
)
VIETNAMESE_FAMILY = _names(
    "Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Ngô, Dương"
)

FILIPINO_MALE = _names(
    "Jose, Juan, Mark, John Paul, Jerome, Rodel, Jomar, Christian, Ramon, Arnel, Jayson, Reynaldo"
)
FILIPINO_FEMALE = _names(
    "Maria, Kristine, Rowena, Mary Grace, Jennifer, Lorna, Marites, Joy, Analyn, "
    "Rosalie, Cherry, Jocelyn"
)
FILIPINO_FAMILY = _names(
    "Santos, Reyes, Cruz, Bautista, Garcia, Mendoza, Ramos, Dela Cruz, Villanueva, "
    "Aquino, Castillo, Navarro, Flores, Domingo"
)

INDONESIAN_MALE = _names(
    "Agus, Budi, Dedi, Eko, Hendra, Rizky, Ahmad, Slamet, Yusuf, Andi, Bayu, Fajar"
)
INDONESIAN_FEMALE = _names(
    "Siti, Dewi, Sri, Nur, Fitri, Rina, Wulan, Ayu, Indah, Lestari, Putri, Ratna"
)
INDONESIAN_FAMILY = _names(
    "Santoso, Wijaya, Saputra, Hidayat, Setiawan, Pratama, Kurniawan, Susanto, Siregar, "
    "Simanjuntak, Nasution, Lubis"
)

KHMER_MALE = _names(
    "Dara, Vanna, Rith, Sokha, Piseth, Vichea, Rotha, Sovann, Bunthoeun, Samnang, Vuthy, Chanthou"
)
KHMER_FEMALE = _names(
    "Sophea, Bopha, Chanthy, Sreymom, Sokunthea, Srey Leak, Channary, Kolab, Sothea, "
    "Malis, Leakhena"
)
KHMER_FAMILY = _names(
    "Sok, Chan, Heng, Kim, Lim, Meas, Chea, Ouk, Seng, Sim, Phan, Nguon, Keo, Prak"
)

THAI_MALE = _names(
    "Somchai, Somsak, Prasert, Sompong, Anan, Niran, Wichai, Surasak, Boonchai, Kittisak, Thanakorn"
)
THAI_FEMALE = _names(
    "Malee, Suda, Pranee, Siriporn, Nittaya, Wanida, Kanya, Ratana, Sunisa, Jintana"
)
THAI_FAMILY = _names(
    "Srisuk, Chaiyaporn, Saengthong, Boonmee, Thongdee, Rattanakorn, Wongsawat, Kaewkla, "
    "Sukjai, Phromma, Sriwong"
)

LAO_MALE = _names("Somphone, Bounmy, Khamphanh, Souksavanh, Vanh, Phet, Thongsavanh")
LAO_FEMALE = _names("Noy, Bouasone, Chanthala, Manivanh, Phonesavanh, Viengkham")
LAO_FAMILY = _names("Phommachanh, Vongsa, Sisouk, Keomany, Sayavong, Inthavong")

CHINESE_MALE = _names(
    "Wei|伟, Jun|军, Lei|磊, Hao|浩, Jian|建, Ming|明, Qiang|强, Yong|勇, Tao|涛, Bin|斌, Jie|杰, "
    "Peng|鹏"
)
CHINESE_FEMALE = _names(
    "Na|娜, Xiuying|秀英, Hui|慧, Fang|芳, Yan|艳, Jing|静, Min|敏, Li|丽, "
    "Ting|婷, Xia|霞, Juan|娟, Lan|兰"
)
CHINESE_FAMILY = _names(
    "Wang|王, Li|李, Zhang|张, Liu|刘, Chen|陈, Yang|杨, Huang|黄, Zhao|赵, Wu|吴, Zhou|周, Xu|徐, "
    "Sun|孙, Lin|林"
)

KOREAN_MALE = _names(
    "Min-jun|민준, Ji-hoon|지훈, Hyun-woo|현우, Jun-seo|준서, Seung-min|승민, Dong-hyun|동현"
)
KOREAN_FEMALE = _names(
    "Seo-yeon|서연, Ji-woo|지우, Min-seo|민서, Su-bin|수빈, Ha-eun|하은, Ji-yeon|지연"
)
KOREAN_FAMILY = _names("Kim|김, Lee|이, Park|박, Choi|최, Jung|정, Kang|강, Cho|조")

BENGALI_MALE = _names(
    "Mohammad, Abdul, Rahim, Karim, Jahid, Rafiqul, Shahidul, Kamrul, Mizanur, Anisur, "
    "Habibur, Saiful, Nazmul"
)
BENGALI_FEMALE = _names(
    "Fatema, Nasrin, Sumi, Rina, Shirin, Salma, Rehana, Taslima, Moushumi, Shahnaz, Nusrat"
)
BENGALI_FAMILY = _names(
    "Hossain, Rahman, Islam, Uddin, Ahmed, Khan, Miah, Alam, Chowdhury, Sarkar, Talukder"
)
BENGALI_FAMILY_FEMALE = _names("Begum, Khatun, Akter, Sultana, Parvin, Islam, Rahman")

PUNJABI_MALE = _names(
    "Gurpreet, Harpreet, Manpreet, Jaswinder, Kulwinder, Sukhwinder, Baljit, Amrik, "
    "Harjit, Paramjit"
)
PUNJABI_FEMALE = _names(
    "Gurpreet, Harpreet, Manpreet, Jaspreet, Simran, Rajwinder, Kiranjit, Amandeep, Navneet"
)
PUNJABI_FAMILY = _names("Singh")
PUNJABI_FAMILY_FEMALE = _names("Kaur")
HINDI_MALE = _names("Rajesh, Amit, Sanjay, Sunil, Rahul, Vikas, Anil, Deepak, Manoj, Ravi, Ashok")
HINDI_FEMALE = _names("Priya, Pooja, Sunita, Kiran, Neha, Anjali, Rekha, Kavita, Meena, Asha")
HINDI_FAMILY = _names("Kumar, Sharma, Patel, Gupta, Yadav, Verma, Mishra, Chauhan, Thakur, Das")

SOMALI_MALE = _names(
    "Mohamed, Ahmed, Abdi, Abdirahman, Hassan, Ali, Omar, Farah, Yusuf, Abdullahi, "
    "Ismail, Hussein, Mahad, Liban, Said"
)
SOMALI_FEMALE = _names(
    "Fadumo, Hodan, Amina, Halima, Sahra, Ifrah, Deeqa, Maryan, Asha, Faadumo, Ubah, Hibo, Ayaan"
)

ETHIOPIAN_MALE = _names(
    "Abebe, Tesfaye, Dawit, Solomon, Yonas, Mekonnen, Alemu, Girma, Tadesse, Berhanu, "
    "Haile, Getachew, Mulugeta, Bereket"
)
ETHIOPIAN_FEMALE = _names(
    "Tigist, Meron, Hiwot, Selam, Bethlehem, Almaz, Tsehay, Mulu, Aster, Genet, Saba, Rahel"
)

SOUTH_SUDANESE_MALE = _names(
    "Deng, Garang, Majok, Chol, Akol, Bol, Kuol, Mabior, Lual, Ajak, Peter, James, Gatluak, Ruach"
)
SOUTH_SUDANESE_FEMALE = _names(
    "Nyibol, Achol, Akuol, Nyandeng, Abuk, Ayen, Nyakim, Nyabol, Adut, Mary, Rebecca"
)

MONGOLIAN_MALE = _names(
    "Bat-Erdene, Ganbaatar, Bold, Munkhbat, Erdenebat, Batbayar, Tumur, Ganzorig, Otgonbayar"
)
MONGOLIAN_FEMALE = _names(
    "Tsetseg, Oyunchimeg, Sarangerel, Altantsetseg, Enkhjargal, Bolormaa, Nomin, Ariunaa"
)

CENTRAL_ASIAN_MALE = _names(
    "Aziz, Bakhtiyor, Dilshod, Jasur, Rustam, Sardor, Timur, Nurlan, Yerlan, Sherzod, "
    "Otabek, Bobur, Daniyar"
)
CENTRAL_ASIAN_FEMALE = _names(
    "Nodira, Dilnoza, Gulnora, Madina, Zarina, Aigerim, Malika, Shahnoza, Gulnara, Feruza"
)
CENTRAL_ASIAN_FAMILY = _names(
    "Karimov, Rakhimov, Yusupov, Abdullaev, Nurmatov, Ismoilov, Usmonov, Saidov, "
    "Akhmetov, Nurlanov, Tursunov, Aliev"
)

RUSSIAN_MALE = _names("Aleksandr, Dmitry, Sergey, Andrey, Ivan, Mikhail, Nikolai")
RUSSIAN_FEMALE = _names("Olga, Elena, Natalia, Tatiana, Anna, Svetlana, Irina")
RUSSIAN_FAMILY = _names("Ivanov, Petrov, Smirnov, Kuznetsov, Popov, Sokolov, Volkov")
UKRAINIAN_MALE = _names("Oleksandr, Andriy, Serhiy, Mykola, Dmytro, Volodymyr, Yuriy")
UKRAINIAN_FEMALE = _names("Yulia, Oksana, Olena, Nataliia, Iryna, Kateryna, Halyna")
UKRAINIAN_FAMILY = _names(
    "Kovalenko, Shevchenko, Bondarenko, Tkachenko, Melnyk, Kravchenko, Boyko, Moroz"
)

GHANAIAN_MALE = _names(
    "Kwame, Kofi, Kwaku, Yaw, Kwabena, Kojo, Emmanuel, Samuel, Isaac, Kwesi, Ebenezer"
)
GHANAIAN_FEMALE = _names("Ama, Akosua, Abena, Efua, Adwoa, Yaa, Afua, Esi, Grace, Comfort")
GHANAIAN_FAMILY = _names(
    "Mensah, Owusu, Boateng, Asante, Osei, Agyeman, Appiah, Ofori, Addo, Amoah, Darko, Acheampong"
)

NIGERIAN_MALE = _names(
    "Chinedu, Emeka, Oluwaseun, Tunde, Ibrahim, Musa, Chukwuma, Femi, Abdullahi, Uche, "
    "Segun, Samuel"
)
NIGERIAN_FEMALE = _names(
    "Chiamaka, Ngozi, Funmilayo, Aisha, Blessing, Joy, Adaeze, Folake, Hauwa, Bukola, Ifeoma"
)
NIGERIAN_FAMILY = _names(
    "Okafor, Okonkwo, Adeyemi, Olawale, Bello, Abubakar, Eze, Nwosu, Ogunleye, Adebayo, "
    "Ibrahim, Mohammed, Okeke, Balogun"
)

CAMEROONIAN_MALE = _names(
    "Jean, Paul, Emmanuel, Serge, Christian, Ibrahim, Aboubakar, Hervé, Patrice, Blaise, Alain"
)
CAMEROONIAN_FEMALE = _names(
    "Marie, Brigitte, Josiane, Esther, Aminatou, Clarisse, Pauline, Sandrine, Hadja, Solange"
)
CAMEROONIAN_FAMILY = _names(
    "Ngono, Mbarga, Atangana, Fotso, Nkwenti, Tchoumi, Kamga, Abena, Ndjock, Essomba, "
    "Mballa, Nfor, Tanyi, Njoya"
)

WEST_AFRICAN_FR_MALE = _names(
    "Mamadou, Ousmane, Abdoulaye, Ibrahima, Moussa, Amadou, Souleymane, Boubacar, "
    "Cheikh, Modou, Seydou, Issa"
)
WEST_AFRICAN_FR_FEMALE = _names(
    "Aissatou, Fatoumata, Mariama, Aminata, Kadiatou, Awa, Adama, Binta, Ramatoulaye, "
    "Khady, Salimata"
)
WEST_AFRICAN_FR_FAMILY = _names(
    "Diallo, Bah, Barry, Sow, Ndiaye, Diop, Fall, Camara, Traoré, Touré, Keita, Sylla, "
    "Ouédraogo, Sawadogo, Koné, Coulibaly, Kaboré"
)

WEST_AFRICAN_EN_MALE = _names(
    "Mohamed, Abu, Alhaji, Joseph, James, Ibrahim, Sahr, Augustine, Foday, Musa, Emmanuel"
)
WEST_AFRICAN_EN_FEMALE = _names(
    "Fatmata, Isatu, Mariama, Hawa, Christiana, Aminata, Kadiatu, Musu, Comfort, Jeneba"
)
WEST_AFRICAN_EN_FAMILY = _names(
    "Kamara, Sesay, Conteh, Bangura, Koroma, Kanu, Turay, Kollie, Flomo, Johnson, Mansaray, Jalloh"
)

EAST_AFRICAN_MALE = _names(
    "Joseph, John, Moses, Patrick, Emmanuel, Peter, Isaac, Brian, Godfrey, Ronald, Juma, Baraka"
)
EAST_AFRICAN_FEMALE = _names(
    "Grace, Mercy, Esther, Sarah, Florence, Agnes, Irene, Prossy, Neema, Rehema, Faith"
)
EAST_AFRICAN_FAMILY = _names(
    "Okello, Mukasa, Ochieng, Mwangi, Otieno, Kato, Moyo, Ndlovu, Niyonzima, Habimana, "
    "Mushi, Massawe, Ssemwanga, Opio, Namukasa"
)

CENTRAL_AFRICAN_MALE = _names(
    "Jean-Pierre, Patrick, Christian, Fiston, Blaise, Jean-Claude, Papy, Trésor, Didier, "
    "Junior, Arsène"
)
CENTRAL_AFRICAN_FEMALE = _names(
    "Merveille, Grâce, Nadine, Chantal, Espérance, Ornella, Divine, Clarisse, Gloria, Béatrice"
)
CENTRAL_AFRICAN_FAMILY = _names(
    "Mbuyi, Kalonji, Ilunga, Kasongo, Tshibangu, Mukendi, Lukusa, Mabiala, Nzambi, "
    "Mutombo, Kabongo, Malonga, Yakité"
)

LATIN_AMERICAN_MALE = _names("Juan, Carlos, Luis, José, Jorge, Miguel, João, Pedro")
LATIN_AMERICAN_FEMALE = _names("María, Ana, Rosa, Carmen, Lucía, Juliana, Fernanda")
LATIN_AMERICAN_FAMILY = _names(
    "Quispe, Flores, García, Rodríguez, Mamani, Silva, Santos, Oliveira, Huamán, Pereira"
)

WESTERN_MALE = _names("John, Michael, David, Thomas, Daniel, Markus, Stefan, Paul")
WESTERN_FEMALE = _names("Sarah, Emma, Anna, Laura, Julia, Katharina, Emily")
WESTERN_FAMILY = _names("Smith, Johnson, Brown, Müller, Huber, Gruber, Taylor, Wagner")
