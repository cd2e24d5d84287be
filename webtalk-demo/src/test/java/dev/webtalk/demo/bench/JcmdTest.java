package dev.webtalk.demo.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** GC.heap_info as JDK 17 prints it for each collector: the heap in use is the sum of the top-level lines. */
class JcmdTest {
    @Test
    void g1HasOneHeapLine() {
        assertEquals(5003L * 1024, Jcmd.heapUsed("""
                3197:
                 garbage-first heap   total 397312K, used 5003K [0x0000000687400000, 0x0000000800000000)
                  region size 4096K, 1 young (4096K), 0 survivors (0K)
                 Metaspace       used 73K, committed 320K, reserved 1114112K
                  class space    used 3K, committed 128K, reserved 1048576K
                """));
    }

    @Test
    void parallelAndSerialAddTheirGenerations() {
        assertEquals((5836L + 1200) * 1024, Jcmd.heapUsed("""
                3237:
                 PSYoungGen      total 113152K, used 5836K [0x0000000782700000, 0x000000078a500000, 0x0000000800000000)
                  eden space 97280K, 6% used [0x0000000782700000,0x0000000782cb3370,0x0000000788600000)
                  from space 15872K, 0% used [0x0000000789580000,0x0000000789580000,0x000000078a500000)
                  to   space 15872K, 0% used [0x0000000788600000,0x0000000788600000,0x0000000789580000)
                 ParOldGen       total 258048K, used 1200K [0x0000000687400000, 0x0000000697000000, 0x0000000782700000)
                  object space 258048K, 0% used [0x0000000687400000,0x0000000687400000,0x0000000697000000)
                 Metaspace       used 128K, committed 320K, reserved 1114112K
                  class space    used 3K, committed 128K, reserved 1048576K
                """));
        assertEquals((8263L + 512) * 1024, Jcmd.heapUsed("""
                3274:
                 def new generation   total 116160K, used 8263K [0x0000000687400000, 0x000000068f200000, 0x0000000704d50000)
                  eden space 103296K,   8% used [0x0000000687400000, 0x0000000687c11fb8, 0x000000068d8e0000)
                  from space 12864K,   0% used [0x000000068d8e0000, 0x000000068d8e0000, 0x000000068e570000)
                  to   space 12864K,   0% used [0x000000068e570000, 0x000000068e570000, 0x000000068f200000)
                 tenured generation   total 258048K, used 512K [0x0000000704d50000, 0x0000000714950000, 0x0000000800000000)
                   the space 258048K,   0% used [0x0000000704d50000, 0x0000000704d50000, 0x0000000704d50200, 0x0000000714950000)
                 Metaspace       used 129K, committed 320K, reserved 1114112K
                  class space    used 3K, committed 128K, reserved 1048576K
                """));
    }

    @Test
    void zAndShenandoahUseTheirOwnWording() {
        assertEquals(4L << 20, Jcmd.heapUsed("""
                3310:
                 ZHeap           used 4M, capacity 378M, max capacity 6028M
                 Metaspace       used 127K, committed 320K, reserved 1114112K
                  class space    used 4K, committed 128K, reserved 1048576K
                """));
        assertEquals(8192L << 10, Jcmd.heapUsed("""
                3354:
                Shenandoah Heap
                 6028M max, 6028M soft max, 378M committed, 8192K used
                 3014 x 2048K regions
                Status: not cancelled
                Reserved region:
                 - [0x0000000687400000, 0x0000000800000000)\s
                Collection set:
                 - map (vanilla): 0x000000000001343a
                 - map (biased):  0x0000000000010000

                 Metaspace       used 122K, committed 320K, reserved 1114112K
                  class space    used 3K, committed 128K, reserved 1048576K
                """));
    }

    @Test
    void refusesOutputWithoutAHeapFigure() {
        assertThrows(IllegalArgumentException.class, () -> Jcmd.heapUsed("""
                3354:
                java.lang.IllegalArgumentException: Unknown diagnostic command
                """));
    }
}
