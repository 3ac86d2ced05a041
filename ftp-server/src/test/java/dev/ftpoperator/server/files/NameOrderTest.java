package dev.ftpoperator.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class NameOrderTest {

  @Test
  void namesWithALongSharedPrefixComeInTheOrderOfStringCompareTo() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      names.add(String.format("file-%06d.dat", i));
    }
    names.add("file-");
    names.add("file-0");
    names.add("file-00001");
    assertSortedAsCompareTo(names, new Random(3));
  }

  @Test
  void randomNamesOfAnyCharactersAndLengthsComeInTheOrderOfStringCompareTo() {
    Random random = new Random(5);
    // few letters, so that keys tie; now and then a character past Latin-1, which has no key
    char[] letters = {'a', 'b', '.', '\u00e9', '\u00fe', '\u00ff', '\u4e2d'};
    for (int round = 0; round < 500; round++) {
      String prefix = round % 2 == 0 ? "" : "common-prefix-";
      int lettersInUse = round % 3 == 0 ? letters.length : 5;
      List<String> names = new ArrayList<>();
      int count = random.nextInt(400);
      for (int i = 0; i < count; i++) {
        StringBuilder name = new StringBuilder(prefix);
        int length = 1 + random.nextInt(9);
        for (int k = 0; k < length; k++) {
          name.append(letters[random.nextInt(lettersInUse)]);
        }
        names.add(name.toString());
      }
      assertSortedAsCompareTo(names, random);
    }
  }

  private static void assertSortedAsCompareTo(List<String> names, Random random) {
    List<String[]> items = new ArrayList<>();
    Collections.shuffle(names, random);
    for (String name : names) {
      items.add(new String[] {name});
    }
    List<String> expected = new ArrayList<>(names);
    expected.sort(Comparator.naturalOrder());

    NameOrder.sort(items, (Function<String[], String>) item -> item[0]);

    assertThat(items.stream().map(item -> item[0]).toList()).isEqualTo(expected);
  }
}
