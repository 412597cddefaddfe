"""The default steps' texts in Turkish and Arabic, by their English text: the volunteer's
journey in their language (``funds.default_steps`` adds them). A fund's own steps are in Dutch
and English."""

MORE_LANGUAGES = {
    "Idea": {
        "tr": "Fikir",
        "ar": "الفكرة",
    },
    "Tell us briefly what you want to do. A few sentences per question is enough.": {
        "tr": "Ne yapmak istediğinizi kısaca anlatın. Her soru için birkaç cümle yeterli.",
        "ar": "أخبرونا باختصار بما تريدون فعله. تكفي بضع جمل لكل سؤال.",
    },
    "What do you want to do?": {
        "tr": "Ne yapmak istiyorsunuz?",
        "ar": "ماذا تريدون أن تفعلوا؟",
    },
    "Why is this needed?": {
        "tr": "Buna neden ihtiyaç var?",
        "ar": "لماذا هناك حاجة إلى هذا؟",
    },
    "Who is it for?": {
        "tr": "Kimin için yapıyorsunuz?",
        "ar": "لمن تفعلون ذلك؟",
    },
    "For example: neighbours, young people, older people in the area.": {
        "tr": "Örneğin: mahalle sakinleri, gençler, mahalledeki yaşlılar.",
        "ar": "مثلًا: سكان الحي، الشباب، كبار السن في المنطقة.",
    },
    "Plan": {
        "tr": "Plan",
        "ar": "الخطة",
    },
    "Describe how you will go about it and what you agree among yourselves.": {
        "tr": "Nasıl çalışacağınızı ve kendi aranızda neler kararlaştırdığınızı anlatın.",
        "ar": "صِفوا كيف ستنفّذون ذلك وما تتفقون عليه فيما بينكم.",
    },
    "What is your goal?": {
        "tr": "Amacınız nedir?",
        "ar": "ما هو هدفكم؟",
    },
    "Whom do you want to reach?": {
        "tr": "Kime ulaşmak istiyorsunuz?",
        "ar": "من تريدون أن تصلوا إليه؟",
    },
    "How will you work?": {
        "tr": "Nasıl çalışacaksınız?",
        "ar": "كيف ستعملون؟",
    },
    "How do you coordinate with institutions and the municipality?": {
        "tr": "Kurumlar ve belediye (gemeente) ile nasıl koordinasyon sağlıyorsunuz?",
        "ar": "كيف تنسّقون مع الهيئات والبلدية (gemeente)؟",
    },
    "What agreements do you make within the network?": {
        "tr": "Ağ içinde neleri kararlaştırıyorsunuz?",
        "ar": "ما الذي تتفقون عليه داخل الشبكة؟",
    },
    "Who decides, who signs, and how do you keep everyone informed?": {
        "tr": "Kim karar veriyor, kim imzalıyor ve herkesi nasıl bilgilendiriyorsunuz?",
        "ar": "من يقرّر، ومن يوقّع، وكيف تُبقون الجميع على اطّلاع؟",
    },
    "Do you earn money or support yourselves? How?": {
        "tr": "Kendiniz de para veya destek topluyor musunuz? Nasıl?",
        "ar": "هل تجمعون أنتم أيضًا مالًا أو دعمًا؟ كيف؟",
    },
    "For example a small fee from participants. This builds a fund's trust.": {
        "tr": "Örneğin katılımcılardan küçük bir katkı payı. Bu, fona güven verir.",
        "ar": "مثلًا مساهمة صغيرة من المشاركين. هذا يمنح الصندوق الثقة.",
    },
    "Budget and needs": {
        "tr": "Bütçe ve ihtiyaçlar",
        "ar": "الميزانية والاحتياجات",
    },
    "Don't think in money first: what do you need? Say for each line whether it could be given in kind instead, such as hours of help or goods.": {
        "tr": "Önce parayı düşünmeyin: neye ihtiyacınız var? Her satır için, bunun para yerine başka bir şekilde de verilip verilemeyeceğini yazın; örneğin yardım saatleri veya eşya.",
        "ar": "لا تفكّروا في المال أولًا: ما الذي تحتاجونه؟ اذكروا لكل سطر هل يمكن تقديمه بشكل عيني بدلًا من المال، مثل ساعات مساعدة أو أغراض.",
    },
    "What do you need?": {
        "tr": "Neye ihtiyacınız var?",
        "ar": "ما الذي تحتاجونه؟",
    },
    "Other sources": {
        "tr": "Diğer kaynaklar",
        "ar": "مصادر أخرى",
    },
    "Own contribution, crowdfunding, local businesses or other funds.": {
        "tr": "Kendi katkınız, kitle fonlaması (crowdfunding), yerel işletmeler veya diğer fonlar.",
        "ar": "مساهمتكم الخاصة، أو التمويل الجماعي (crowdfunding)، أو الشركات المحلية، أو صناديق أخرى.",
    },
    "Accountability": {
        "tr": "Hesap verme",
        "ar": "المساءلة",
    },
    "A fund wants to know the money is well spent. You don't need a foundation or association for that: choose what fits your network.": {
        "tr": "Fon, paranın doğru yere harcandığını bilmek ister. Bunun için vakıf (stichting) veya dernek (vereniging) olmanız gerekmez: ağınıza uyan yolu seçin.",
        "ar": "يريد الصندوق أن يعرف أن المال يُصرف بشكل جيد. لا تحتاجون لذلك إلى مؤسسة (stichting) أو جمعية (vereniging): اختاروا ما يناسب شبكتكم.",
    },
    "Which arrangement do you propose?": {
        "tr": "Hangi düzenlemeyi öneriyorsunuz?",
        "ar": "ما الترتيب الذي تقترحونه؟",
    },
    "Explanation": {
        "tr": "Açıklama",
        "ar": "توضيح",
    },
    "For example who will sign, or which organisation will manage the money.": {
        "tr": "Örneğin kimin imzalayacağı veya parayı hangi kuruluşun yöneteceği.",
        "ar": "مثلًا من سيوقّع، أو أي منظمة ستدير المال.",
    },
}
